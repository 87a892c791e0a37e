#include "uploader/upload/bundle_upload.hpp"

#include "uploader/upload/progress.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/hash.hpp"
#include "uploader/util/platform.hpp"

namespace uploader::upload {

namespace fs = std::filesystem;

namespace {

// A private folder for bundle files, removed with everything in it.
class TempDir {
public:
  TempDir() : m_path(util::make_temp_folder("sentry-sourcemaps-")) {}
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const fs::path &path() const { return m_path; }

private:
  fs::path m_path;
};

bundle::BundleSettings bundle_settings(const BundleTarget &target,
                                       const BundleUploadSettings &settings,
                                       std::uint64_t chunk_size) {
  bundle::BundleSettings result;
  result.attributes.org = target.org;
  if (target.projects.size() == 1) {
    result.attributes.project = target.projects.front();
  }
  result.attributes.release = target.release;
  result.attributes.dist = target.dist;
  result.attributes.note = target.note;
  result.chunk_size = chunk_size;
  result.compression_level = settings.compression_level;
  result.map_rewrite = settings.map_rewrite;
  result.threads = settings.threads;
  return result;
}

fs::path bundle_path(const BundleUploadSettings &settings, const TempDir &temp,
                     size_t index) {
  if (settings.bundle_out && index == 0) {
    return *settings.bundle_out;
  }
  if (settings.bundle_out) {
    return fs::path(*settings.bundle_out) += "." + std::to_string(index);
  }
  return temp.path() / ("bundle-" + std::to_string(index) + ".zip");
}

// Everything that shapes a bundle's bytes besides the files themselves.
std::string bundle_key(const std::string &files_key, size_t index,
                       const http::ChunkUploadOptions &options,
                       const bundle::BundleSettings &settings) {
  const auto &a = settings.attributes;
  // "layout 2": chunks end between entries (bundle/chunk_layout.hpp).
  std::string text = files_key + "\nlayout 2\n" + std::to_string(index) + "\n" +
                     std::to_string(options.chunk_size) + "\n" +
                     std::to_string(options.max_file_size) + "\n" +
                     std::to_string(settings.compression_level) + "\n" +
                     a.org.value_or("") + "\n" + a.project.value_or("") + "\n" +
                     a.release.value_or("") + "\n" + a.dist.value_or("") +
                     "\n" + a.note.value_or("") + "\n" +
                     bundle::describe(settings.map_rewrite);
  return util::to_hex(util::sha1(text));
}

} // namespace

std::vector<BundleSummary>
upload_bundles(const http::ChunkUploadOptions &options,
               const BundleTransfer &transfer,
               std::vector<bundle::BundleInput> files,
               const BundleTarget &target, const BundleUploadSettings &settings,
               const UploadCache &cache, const std::string &files_key,
               Progress &progress, const EarlyChunkSending *early) {
  // Leave room for zip headers and the manifest below the server's limit.
  auto groups =
      options.max_file_size > 0
          ? bundle::split_for_size(std::move(files),
                                   options.max_file_size / 10 * 9)
          : std::vector<std::vector<bundle::BundleInput>>{std::move(files)};
  if (groups.size() > 1) {
    progress.phase("splitting into " + std::to_string(groups.size()) +
                   " bundles to stay below the server's limit of " +
                   format_mib(options.max_file_size));
  }

  TempDir temp;
  std::vector<BundleSummary> summaries;
  bool use_cache =
      cache.enabled() && !files_key.empty() && !settings.bundle_out;
  for (size_t i = 0; i < groups.size(); ++i) {
    BundleSummary summary;
    auto bundle_options = bundle_settings(target, settings, options.chunk_size);
    std::string key =
        use_cache ? bundle_key(files_key, i, options, bundle_options) : "";
    // Holds the cached bundle's file while it is sent: other uploads
    // sharing the cache evict, but never a file someone holds.
    BundleLease held;
    EarlyChunksSent sent_early;
    if (auto cached = use_cache ? cache.take_bundle(key) : std::nullopt) {
      summary.bundle = std::move(cached->bundle);
      held = std::move(cached->lease);
      progress.phase("reusing bundle " + summary.bundle.debug_id +
                     " built from the same files (" +
                     format_mib(summary.bundle.size) + ")");
    } else {
      auto draft = use_cache ? cache.draft_bundle(key) : std::nullopt;
      fs::path path = draft ? draft->path() : bundle_path(settings, temp, i);
      std::optional<EarlyChunkSender> sender;
      if (early != nullptr) {
        sender.emplace(*early, path);
      }
      summary.bundle = bundle::write_artifact_bundle(
          std::move(groups[i]), bundle_options, path,
          sender ? [&](const bundle::Chunk &chunk) { sender->ready(chunk); }
                 : bundle::ChunkReady());
      if (sender) {
        sent_early = sender->finish();
      }
      if (draft) {
        auto saved = cache.save_bundle(key, std::move(*draft),
                                       std::move(summary.bundle));
        summary.bundle = std::move(saved.bundle);
        held = std::move(saved.lease);
      }
      progress.phase("bundled " + std::to_string(summary.bundle.files.size()) +
                     " files (" + format_mib(summary.bundle.size) +
                     ") as bundle " + summary.bundle.debug_id);
      if (sent_early.chunks > 0) {
        progress.phase("sent " + std::to_string(sent_early.chunks) + " of " +
                       std::to_string(summary.bundle.chunks.size()) +
                       " chunks (" + format_mib(sent_early.bytes) +
                       ") while bundling");
      }
    }
    std::uint64_t total = 0;
    for (const auto &chunk : summary.bundle.chunks) {
      total += chunk.size;
    }
    progress.start_transfer(total, summary.bundle.chunks.size());
    summary.transfer = transfer(
        summary.bundle, [&](std::string_view line) { progress.phase(line); },
        [&](std::uint64_t bytes, size_t chunks) {
          progress.advance(bytes, chunks);
        });
    progress.finish_transfer();
    summary.transfer.chunks_sent += sent_early.chunks;
    summary.transfer.bytes_sent += sent_early.bytes;
    if (sent_early.chunks > 0) {
      summary.transfer.already_on_server = false;
    }
    // Sent: let the cache evict it if it is now over its bound.
    held.release();
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

std::vector<bundle::BuiltBundle>
build_bundles_offline(std::vector<bundle::BundleInput> files,
                      const BundleTarget &target,
                      const BundleUploadSettings &settings) {
  TempDir temp;
  std::vector<bundle::BuiltBundle> bundles;
  bundles.push_back(bundle::write_artifact_bundle(
      std::move(files), bundle_settings(target, settings, 8 * 1024 * 1024),
      bundle_path(settings, temp, 0)));
  return bundles;
}

} // namespace uploader::upload
