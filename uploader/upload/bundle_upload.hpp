#pragma once

#include "uploader/bundle/artifact_bundle.hpp"
#include "uploader/upload/early_chunks.hpp"
#include "uploader/upload/progress.hpp"
#include "uploader/upload/transfer.hpp"
#include "uploader/upload/upload_cache.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace uploader::upload {

// Where one set of files goes and how.
struct BundleTarget {
  std::string org;
  std::vector<std::string> projects;
  std::optional<std::string> release;
  std::optional<std::string> dist;
  std::optional<std::string> note;
};

struct BundleUploadSettings {
  TransferSettings transfer;
  int compression_level = 1;
  bundle::MapRewriteSettings map_rewrite;
  unsigned threads = 2;
  std::uint64_t max_request_size = 0; // 0: the server's
  size_t concurrency = 0;             // 0: the server's
  // Write the (first) bundle here and keep it; else a temporary file.
  std::optional<std::filesystem::path> bundle_out;
};

struct BundleSummary {
  bundle::BuiltBundle bundle;
  TransferResult transfer;
};

// Sends one built bundle to the server the way its flow needs (see
// flow.hpp) and returns only once it is confirmed (or, without wait, sent).
using BundleTransfer = std::function<TransferResult(
    const bundle::BuiltBundle &, const PhaseReporter &, const ChunkProgress &)>;

// Builds the bundle(s) for `files` (split below `options.max_file_size`)
// and hands each one to `transfer`. Throws on the first failure; a bundle
// that was confirmed before stays confirmed on the server. With an enabled
// `cache`, bundles are kept under `files_key` (a fingerprint of the files)
// and reused instead of being rebuilt. A summary's bundle file exists only
// while it is handed to `transfer` (a cached one may be evicted after).
// With `early` (a server that reports missing chunks), chunks are sent
// while the bundle is still being written (EarlyChunkSender).
std::vector<BundleSummary>
upload_bundles(const http::ChunkUploadOptions &options,
               const BundleTransfer &transfer,
               std::vector<bundle::BundleInput> files,
               const BundleTarget &target, const BundleUploadSettings &settings,
               const UploadCache &cache, const std::string &files_key,
               Progress &progress, const EarlyChunkSending *early = nullptr);

// Builds the bundle(s) without any request, for --dry-run.
std::vector<bundle::BuiltBundle>
build_bundles_offline(std::vector<bundle::BundleInput> files,
                      const BundleTarget &target,
                      const BundleUploadSettings &settings);

} // namespace uploader::upload
