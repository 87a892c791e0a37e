#include "uploader/bundle/artifact_bundle.hpp"

#include "uploader/bundle/chunk_layout.hpp"
#include "uploader/bundle/chunked_file.hpp"
#include "uploader/bundle/zip_writer.hpp"
#include "uploader/sourcemap/debug_id.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/hash.hpp"

#include <algorithm>
#include <deque>
#include <future>
#include <set>

namespace uploader::bundle {

namespace {

struct PreparedFile {
  std::string contents;
  ZipEntry entry;
};

// sentry-cli hashes headers under its own key spelling; "Sourcemap" sorts
// before "debug-id" there.
void hash_headers(util::Sha1 &hasher,
                  const std::map<std::string, std::string> &headers) {
  if (auto it = headers.find("sourcemap"); it != headers.end()) {
    hasher.update(std::string_view("Sourcemap"));
    hasher.update(it->second);
  }
  if (auto it = headers.find("debug-id"); it != headers.end()) {
    hasher.update(std::string_view("debug-id"));
    hasher.update(it->second);
  }
}

// Makes zip paths unique the way sentry-cli does: `.1`, `.2`, ...
std::string unique_path(std::set<std::string> &used, const std::string &path) {
  std::string candidate = path;
  for (int n = 1; used.contains(candidate); ++n) {
    candidate = path + "." + std::to_string(n);
  }
  used.insert(candidate);
  return candidate;
}

} // namespace

BuiltBundle write_artifact_bundle(std::vector<BundleInput> inputs,
                                  const BundleSettings &settings,
                                  const std::filesystem::path &out,
                                  const ChunkReady &on_chunk) {
  std::ranges::stable_sort(inputs, {}, &BundleInput::url);
  ChunkedFile file(out, settings.chunk_size, on_chunk);
  file.write(std::string_view("SYSB\x02\0\0\0", 8));
  ZipWriter zip([&](std::string_view bytes) { file.write(bytes); });
  ChunkLayout layout(settings.chunk_size);
  auto add_entry = [&](const ZipEntry &entry) {
    EntryCuts cuts = layout.place(local_entry_size(entry), entry.crc32);
    if (cuts.before) {
      file.cut();
    }
    zip.add(entry);
    if (cuts.after) {
      file.cut();
    }
  };

  int level = settings.compression_level;
  MapRewriter rewriter(settings.map_rewrite);
  auto prepare = [level, &rewriter](const BundleInput &input,
                                    std::string name) {
    PreparedFile prepared;
    prepared.contents = util::read_file(input.path);
    if (input.type == SourceFileType::source_map) {
      if (auto rewritten =
              rewriter.rewrite(input.path, prepared.contents, input.built_in)) {
        prepared.contents = std::move(*rewritten);
      }
    }
    prepared.entry = make_zip_entry(std::move(name), prepared.contents, level);
    return prepared;
  };

  BuiltBundle bundle;
  util::Sha1 bundle_id;
  std::set<std::string> used_paths;
  // A sliding window of files being read and compressed ahead of the
  // writer: bounded memory, both cores busy, output order fixed.
  std::deque<std::future<PreparedFile>> window;
  size_t window_size = std::max(1u, settings.threads) * 2;
  size_t next = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    while (next < inputs.size() && window.size() < window_size) {
      std::string path = unique_path(
          used_paths, "files/" + bundle_path_for_url(inputs[next].url));
      bundle.files.push_back(
          {path, inputs[next].url, inputs[next].type, inputs[next].headers});
      window.push_back(std::async(std::launch::async, prepare,
                                  std::cref(inputs[next]), path));
      ++next;
    }
    PreparedFile prepared = window.front().get();
    window.pop_front();
    const BundleInput &input = inputs[i];
    bundle_id.update(input.url);
    bundle_id.update(prepared.contents);
    bundle_id.update(debug_name(input.type));
    hash_headers(bundle_id, input.headers);
    add_entry(prepared.entry);
  }

  ManifestAttributes attributes = settings.attributes;
  attributes.debug_id =
      sourcemap::debug_id_from_digest(bundle_id.finish()).to_string();
  bundle.debug_id = attributes.debug_id;
  // The manifest and the central directory change with every file: they
  // get the last chunk(s) of their own.
  file.cut();
  zip.add(make_zip_entry("manifest.json",
                         manifest_json(bundle.files, attributes), level));
  zip.finish();
  ChunkedFileSummary written = file.finish();
  bundle.path = out;
  bundle.size = written.size;
  bundle.checksum = std::move(written.checksum);
  bundle.chunks = std::move(written.chunks);
  bundle.sources_read = rewriter.sources_read();
  return bundle;
}

std::vector<std::vector<BundleInput>>
split_for_size(std::vector<BundleInput> inputs, std::uint64_t max_bytes) {
  std::vector<std::vector<BundleInput>> groups(1);
  std::uint64_t size = 0;
  for (auto &input : inputs) {
    std::error_code ec;
    std::uint64_t file_size = std::filesystem::file_size(input.path, ec);
    if (!groups.back().empty() && size + file_size > max_bytes) {
      groups.emplace_back();
      size = 0;
    }
    size += file_size;
    groups.back().push_back(std::move(input));
  }
  return groups;
}

} // namespace uploader::bundle
