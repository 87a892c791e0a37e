#include "uploader/bundle/artifact_bundle.hpp"

#include "uploader/bundle/zip_writer.hpp"
#include "uploader/sourcemap/debug_id.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/hash.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <future>
#include <set>

namespace uploader::bundle {

namespace {

// Receives the bundle's bytes, writes them to disk and hashes the whole
// file and every chunk in the same pass.
class ChunkingFile {
public:
  ChunkingFile(const std::filesystem::path &path, std::uint64_t chunk_size)
      : m_path(path), m_chunk_size(chunk_size) {
    m_file = util::open_stdio(path, "wb");
    if (m_file == nullptr) {
      throw Error("cannot create bundle file '" + path.string() +
                  "': " + std::strerror(errno));
    }
    std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
  }
  ~ChunkingFile() {
    if (m_file != nullptr) {
      std::fclose(m_file);
    }
  }

  void write(std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), m_file) != bytes.size()) {
      throw Error("cannot write bundle file '" + m_path.string() +
                  "': " + std::strerror(errno));
    }
    m_whole.update(bytes);
    while (!bytes.empty()) {
      auto room = static_cast<size_t>(m_chunk_size - m_in_chunk);
      std::string_view part = bytes.substr(0, room);
      m_chunk.update(part);
      m_in_chunk += part.size();
      bytes.remove_prefix(part.size());
      if (m_in_chunk == m_chunk_size) {
        close_chunk();
      }
    }
  }

  void finish(BuiltBundle &bundle) {
    if (m_in_chunk > 0) {
      close_chunk();
    }
    if (std::fclose(m_file) != 0) {
      m_file = nullptr;
      throw Error("cannot write bundle file '" + m_path.string() + "'");
    }
    m_file = nullptr;
    bundle.path = m_path;
    bundle.size = m_offset;
    bundle.checksum = util::to_hex(m_whole.finish());
    bundle.chunks = std::move(m_chunks);
  }

private:
  void close_chunk() {
    m_chunks.push_back({util::to_hex(m_chunk.finish()), m_offset, m_in_chunk});
    m_offset += m_in_chunk;
    m_in_chunk = 0;
    m_chunk = util::Sha1();
  }

  std::filesystem::path m_path;
  std::FILE *m_file = nullptr;
  std::uint64_t m_chunk_size;
  std::uint64_t m_in_chunk = 0;
  std::uint64_t m_offset = 0;
  util::Sha1 m_whole;
  util::Sha1 m_chunk;
  std::vector<bundle::Chunk> m_chunks;
};

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
                                  const std::filesystem::path &out) {
  std::ranges::stable_sort(inputs, {}, &BundleInput::url);
  ChunkingFile file(out, settings.chunk_size);
  file.write(std::string_view("SYSB\x02\0\0\0", 8));
  ZipWriter zip([&](std::string_view bytes) { file.write(bytes); });

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
    zip.add(prepared.entry);
  }

  ManifestAttributes attributes = settings.attributes;
  attributes.debug_id =
      sourcemap::debug_id_from_digest(bundle_id.finish()).to_string();
  bundle.debug_id = attributes.debug_id;
  zip.add(make_zip_entry("manifest.json",
                         manifest_json(bundle.files, attributes), level));
  zip.finish();
  file.finish(bundle);
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
