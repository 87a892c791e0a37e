#pragma once

#include "uploader/bundle/chunk.hpp"
#include "uploader/util/hash.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::bundle {

// Told about each chunk once its bytes can be read back from the file.
using ChunkReady = std::function<void(const Chunk &)>;

// What a ChunkedFile wrote: its size, SHA-1 and chunks.
struct ChunkedFileSummary {
  std::uint64_t size = 0;
  std::string checksum;
  std::vector<Chunk> chunks;
};

// Writes a file and hashes the whole of it and each chunk in the same pass.
// A chunk ends where the caller cuts it or when it reaches `chunk_size`, so
// chunks of any size up to `chunk_size` follow the caller's layout.
class ChunkedFile {
public:
  ChunkedFile(const std::filesystem::path &path, std::uint64_t chunk_size,
              ChunkReady on_chunk = {});
  ~ChunkedFile();
  ChunkedFile(const ChunkedFile &) = delete;
  ChunkedFile &operator=(const ChunkedFile &) = delete;

  void write(std::string_view bytes);
  // Ends the current chunk (nothing happens when it is empty).
  void cut();
  // Closes the file; throws when it could not be written.
  ChunkedFileSummary finish();

private:
  std::filesystem::path m_path;
  std::FILE *m_file = nullptr;
  std::uint64_t m_chunk_size;
  ChunkReady m_on_chunk;
  std::uint64_t m_in_chunk = 0;
  std::uint64_t m_offset = 0;
  util::Sha1 m_whole;
  util::Sha1 m_chunk;
  std::vector<Chunk> m_chunks;
};

} // namespace uploader::bundle
