#pragma once

#include "uploader/bundle/chunk.hpp"
#include "uploader/bundle/chunked_file.hpp"
#include "uploader/bundle/manifest.hpp"
#include "uploader/bundle/map_rewrite.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace uploader::bundle {

// A file to put in a bundle: where to read it and how the manifest names it.
struct BundleInput {
  std::filesystem::path path;
  std::string url;
  SourceFileType type = SourceFileType::minified_source;
  std::map<std::string, std::string> headers; // lowercase keys
  // A map's relative sources are resolved from here, where the bundler
  // wrote it (empty: the folder of `path`; a parked map is elsewhere).
  std::filesystem::path built_in = {};
};

struct BundleSettings {
  ManifestAttributes attributes; // debug_id is computed, not read
  std::uint64_t chunk_size = 8 * 1024 * 1024;
  int compression_level = 1; // libdeflate 1..12
  unsigned threads = 2;
  // How each map's uploaded copy is prepared (source paths, index maps,
  // missing source texts).
  MapRewriteSettings map_rewrite;
};

// What was written: the bundle file, its SHA-1, its chunks and its id.
struct BuiltBundle {
  std::filesystem::path path;
  std::uint64_t size = 0;
  std::string checksum;
  std::vector<bundle::Chunk> chunks;
  std::string debug_id;
  std::vector<ManifestFile> files;
  SourcesRead sources_read = {}; // the texts added to its maps came from these
};

// Writes `SYSB` + version 2 + a deterministic zip of `inputs` (sorted by
// URL, `manifest.json` last) to `out`, hashing the whole file and each
// chunk as it goes. Chunks end between entries (ChunkLayout), so a file
// that did not change gives the same chunk as in any earlier build; none is
// larger than `chunk_size`. `on_chunk` hears of each chunk as soon as it
// is in `out`, so it can be sent while later files are still compressed. Files
// are read and compressed on `threads` workers but only a few are held in
// memory at once. The bundle id is sentry-cli's: SHA-1 over each file's URL,
// contents, type and headers, as a version-5 UUID.
BuiltBundle write_artifact_bundle(std::vector<BundleInput> inputs,
                                  const BundleSettings &settings,
                                  const std::filesystem::path &out,
                                  const ChunkReady &on_chunk = {});

// Splits `inputs` into groups whose uncompressed sizes stay under
// `max_bytes` (a map and its JS stay together when they arrive adjacent).
std::vector<std::vector<BundleInput>>
split_for_size(std::vector<BundleInput> inputs, std::uint64_t max_bytes);

} // namespace uploader::bundle
