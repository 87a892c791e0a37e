#pragma once

#include "uploader/bundle/artifact_bundle.hpp"
#include "uploader/upload/plan.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace uploader::upload {

// Remembers plans and built bundles between runs, so that uploading a folder
// that has not changed does not read, hash or compress it again. Entries are
// keyed by upload_fingerprint() (path, size, mtime in ns and inode of every
// file, as make and git trust them) plus everything else that shapes the
// result; a changed file changes the key. Lives in
// $SENTRY_SOURCEMAPS_CACHE, else $XDG_CACHE_HOME/sentry-sourcemaps, else
// ~/.cache/sentry-sourcemaps, in `bundles/`; only the newest few bundles are
// kept.
class UploadCache {
public:
  // A cache in `folder`; an empty path disables caching.
  explicit UploadCache(std::filesystem::path folder);

  // The default folder from the environment, or empty if there is no home.
  static std::filesystem::path default_folder();

  bool enabled() const { return !m_folder.empty(); }

  std::optional<UploadPlan> load_plan(const std::string &key) const;
  void save_plan(const std::string &key, const UploadPlan &plan) const;

  std::optional<bundle::BuiltBundle> load_bundle(const std::string &key) const;
  // Where a new bundle for `key` is written before save_bundle().
  std::filesystem::path bundle_path(const std::string &key) const;
  void save_bundle(const std::string &key,
                   const bundle::BuiltBundle &built) const;

private:
  void evict_old_bundles() const;

  std::filesystem::path m_folder;
};

} // namespace uploader::upload
