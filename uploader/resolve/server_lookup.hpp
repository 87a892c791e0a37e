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

// Downloads, for each `wasm` image of `needs`, the debug files Sentry holds
// for its debug ID (GET /api/0/projects/{org}/{project}/files/dsyms/
// ?query=<debug id>, then ?id=<id> for the file, as sentry-cli and Sentry's
// UI download them) into `modules`. Sentry lets only members with the
// organization's "debug files" role (Admin by default) download them.
// Returns how many files were added.
std::size_t add_server_debug_files(http::Api &api, const std::string &org,
                                   const std::string &project,
                                   const EventNeeds &needs,
                                   WasmModules &modules);

} // namespace uploader::resolve
