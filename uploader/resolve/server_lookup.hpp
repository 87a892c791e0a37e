#pragma once

#include "uploader/http/api.hpp"
#include "uploader/resolve/artifacts.hpp"
#include "uploader/resolve/event.hpp"

#include <cstddef>
#include <string>

namespace uploader::resolve {

// Asks Sentry which artifact bundles serve the frames of `needs` and adds
// each one, downloaded, to `artifacts`. Uses the artifact-lookup endpoint
// Sentry's symbolicator uses:
// GET /api/0/projects/{org}/{project}/artifact-lookup/?debug_id=&url=
// &release=&dist= answers `[{"id","type":"bundle","url","resolved_with"}]`,
// and each `url` downloads the bundle. Returns how many bundles were added.
std::size_t add_server_bundles(http::Api &api, const std::string &org,
                               const std::string &project,
                               const EventNeeds &needs, ArtifactSet &artifacts);

} // namespace uploader::resolve
