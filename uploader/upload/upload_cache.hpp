#pragma once

#include "uploader/bundle/artifact_bundle.hpp"
#include "uploader/upload/plan.hpp"
#include "uploader/util/environment.hpp"
#include "uploader/util/native_file.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace uploader::upload {

// How much an UploadCache keeps at rest (see UploadCache).
struct CacheLimits {
  size_t bundles = 4;
  std::uint64_t bundle_bytes = std::uint64_t{256} << 20;
  size_t plans = 16;
};

// A bundle file one upload is building or sending. While it lives no
// UploadCache, in this process or any other, removes or replaces the file
// at path(): it holds a shared lock on the file, and the cache removes
// only files it can lock exclusively. Releasing it (destruction or
// release()) removes the file if it was never published, and lets the
// cache evict what is now over its bound.
class BundleLease {
public:
  BundleLease() = default;
  ~BundleLease() { release(); }
  BundleLease(const BundleLease &) = delete;
  BundleLease &operator=(const BundleLease &) = delete;
  BundleLease(BundleLease &&other) noexcept;
  BundleLease &operator=(BundleLease &&other) noexcept;

  const std::filesystem::path &path() const { return m_path; }
  bool held() const { return m_file.is_open(); }
  void release() noexcept;

private:
  friend class UploadCache;

  util::NativeFile m_file;
  std::filesystem::path m_path;
  bool m_private = false; // a draft only this lease knows: removed on release
  std::filesystem::path m_folder;
  CacheLimits m_limits;
};

// A bundle from the cache and the lease that keeps its file in place.
struct CachedBundle {
  bundle::BuiltBundle bundle;
  BundleLease lease;
};

// Remembers plans and built bundles between runs, so that uploading a folder
// that has not changed does not read, hash or compress it again. Entries are
// keyed by upload_fingerprint() (path, size, mtime in ns and inode of every
// file, as make and git trust them) plus everything else that shapes the
// result; a changed file changes the key. Lives in
// $SENTRY_SOURCEMAPS_CACHE, else $XDG_CACHE_HOME/sentry-sourcemaps, else
// ~/.cache/sentry-sourcemaps, in `bundles/`.
//
// Disk use: at rest (no upload running) the folder holds at most 4 bundles
// and at most 256 MiB of them, except that the most recently used bundle is
// always kept even if it alone is larger (so the bound is 4 bundles and
// max(256 MiB, that bundle)); each bundle has a small `.bundle.json`, and at
// most 16 plans are kept (see CacheLimits). While uploads run, each one may
// add the one bundle it is building or sending; it is evicted when the last
// upload using it finishes (or, if that process died, by the next upload).
//
// Shared safely by any number of uploads at once (a monorepo build, CI jobs
// of one user): every change to the folder (publishing, evicting) happens
// under an flock on `.lock` in it, and a bundle an upload holds (a
// BundleLease) is never removed or replaced under it. Entries are written to
// a temporary file and renamed, so a reader sees a whole entry or none; an
// entry that cannot be read, or whose bundle does not match it, is a miss,
// never an error. Without flock support (some network file systems) the
// cache is simply not used.
class UploadCache {
public:
  // A cache in `folder`; an empty path disables caching.
  explicit UploadCache(std::filesystem::path folder, CacheLimits limits = {});

  // The default folder from the environment, or empty if there is no home.
  static std::filesystem::path default_folder(const util::EnvGetter &getenv);

  bool enabled() const { return !m_folder.empty(); }

  std::optional<UploadPlan> load_plan(const std::string &key) const;
  void save_plan(const std::string &key, const UploadPlan &plan) const;

  // The bundle kept for `key`, held until the returned lease is released;
  // nullopt on a miss (none, unreadable, or not matching its record).
  std::optional<CachedBundle> take_bundle(const std::string &key) const;

  // A new, empty file in the cache folder to write `key`'s bundle into,
  // held by the returned lease; nullopt if the cache is disabled or cannot
  // be written (then build the bundle elsewhere).
  std::optional<BundleLease> draft_bundle(const std::string &key) const;

  // Keeps `built` (written to `draft`'s file) as `key`'s entry and returns
  // it, still held. Never throws: if it cannot be kept (or another upload
  // is sending the entry it would replace), the bundle stays in the draft
  // file, which goes away with the lease.
  CachedBundle save_bundle(const std::string &key, BundleLease draft,
                           bundle::BuiltBundle built) const;

private:
  std::filesystem::path m_folder;
  CacheLimits m_limits;
};

} // namespace uploader::upload
