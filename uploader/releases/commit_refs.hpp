#pragma once

#include "uploader/config/release_detect.hpp"
#include "uploader/releases/commits.hpp"
#include "uploader/releases/release_api.hpp"

#include <string>
#include <vector>

namespace uploader::releases {

// The refs to set on a release: `specs` (REPO@[PREV..]SHA) with every
// repository checked against the organization's, so that a typo fails here
// and not as a 400 from the server; with `with_auto`, HEAD of the checkout
// (or the CI's commit) in the repository its remote points to, instead.
// Throws ConfigError naming the repositories the organization has.
std::vector<CommitRef>
resolve_commit_refs(ReleaseApi &api, const std::string &org,
                    const std::vector<std::string> &specs, bool with_auto,
                    const util::EnvGetter &getenv,
                    const config::GitRunner &git);

} // namespace uploader::releases
