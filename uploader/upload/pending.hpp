#pragma once

#include "uploader/upload/plan.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace uploader::upload {

// Maps that could not be uploaded, parked outside the deploy folder until a
// later run uploads them. Each parked upload is a folder holding the files
// under their URL paths plus `pending.json` (URL prefix, release, dist, and
// the folder each map was built in, which its relative sources name).
struct ParkedUpload {
  std::filesystem::path folder;
  std::string url_prefix;
  std::optional<std::string> release;
  std::optional<std::string> dist;
  std::map<std::string, std::filesystem::path> built_in; // by map URL
};

// Moves every map of `plan` into a new folder under `pending_dir` and
// copies the JS files that reference them, so the parked upload is
// complete. Returns the moved maps' original paths.
std::vector<std::filesystem::path>
park_maps(const UploadPlan &plan, const PlanOptions &options,
          const std::optional<std::string> &release,
          const std::optional<std::string> &dist,
          const std::filesystem::path &pending_dir);

// The parked uploads waiting in `pending_dir`, oldest first.
std::vector<ParkedUpload>
parked_uploads(const std::filesystem::path &pending_dir);

// Removes a parked upload after Sentry confirmed it.
void discard_parked(const ParkedUpload &parked);

} // namespace uploader::upload
