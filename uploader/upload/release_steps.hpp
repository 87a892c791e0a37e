#pragma once

#include "uploader/config/release_detect.hpp"
#include "uploader/releases/release_api.hpp"
#include "uploader/upload/transfer.hpp"

#include <optional>
#include <string>
#include <vector>

namespace uploader::upload {

// The release work an upload does around the files (--create-release,
// --set-commits, --finalize, --deploy).
struct ReleaseSteps {
  bool create = false;
  std::optional<std::string> set_commits; // "auto" or REPO@[PREV..]SHA
  bool finalize = false;
  std::optional<std::string> deploy_environment;

  bool any() const;
};

// Where the steps apply.
struct ReleaseContext {
  std::string org;
  std::vector<std::string> projects;
  std::string version;
};

// Before the upload: creates the release when asked, when commits are set
// (they need it) or when the server's flow stores files only under a
// release (`flow_needs_release`), then sets the commits. Throws on any
// failure, before anything was uploaded or deleted.
void prepare_release(releases::ReleaseApi &api, const ReleaseContext &release,
                     const ReleaseSteps &steps, bool flow_needs_release,
                     const util::EnvGetter &getenv,
                     const config::GitRunner &git, const PhaseReporter &report);

// After Sentry confirmed the upload: finalizes the release, then records
// the deploy. Throws on any failure; the caller then deletes nothing.
void complete_release(releases::ReleaseApi &api, const ReleaseContext &release,
                      const ReleaseSteps &steps, const PhaseReporter &report);

} // namespace uploader::upload
