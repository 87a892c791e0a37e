#pragma once

#include "uploader/upload/plan.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace uploader::upload {

struct CleanupResult {
  std::vector<std::filesystem::path> deleted;  // maps removed
  std::vector<std::filesystem::path> stripped; // JS whose comment was removed
  std::vector<std::string> warnings;
};

// The maps to remove after a confirmed upload: by default every map in
// `plan`; with `globs`, the files under each folder root that match one of
// them (relative globs only). Only regular files whose real path lies
// inside their root are ever returned: no `..`, no symlink escape.
std::vector<std::filesystem::path>
maps_to_delete(const UploadPlan &plan, const std::vector<std::string> &globs,
               const std::vector<std::string> &roots,
               std::vector<std::string> &warnings);

// Removes the `//# sourceMappingURL=` (or `//@`) comment line of `js` when
// it points at a map in `deleted` (`links` say which). Returns the JS files
// that changed; each is rewritten atomically, keeping its mode.
std::vector<std::filesystem::path>
strip_source_mapping_urls(const std::vector<MapLink> &links,
                          const std::vector<std::filesystem::path> &deleted);

// Returns `js` without its last sourceMappingURL comment line (the whole
// line when the comment stands alone, else from the comment to its end).
std::string without_source_mapping_url(std::string_view js);

// Deletes `maps` and then strips the comments that pointed at them.
CleanupResult delete_maps(const UploadPlan &plan,
                          const std::vector<std::filesystem::path> &maps,
                          bool strip_comments);

} // namespace uploader::upload
