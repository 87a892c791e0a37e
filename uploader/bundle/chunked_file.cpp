#include "uploader/bundle/chunked_file.hpp"

#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"

#include <cerrno>
#include <cstring>

namespace uploader::bundle {

ChunkedFile::ChunkedFile(const std::filesystem::path &path,
                         std::uint64_t chunk_size, ChunkReady on_chunk)
    : m_path(path), m_chunk_size(chunk_size), m_on_chunk(std::move(on_chunk)) {
  m_file = util::open_stdio(path, "wb");
  if (m_file == nullptr) {
    throw Error("cannot create bundle file '" + path.string() +
                "': " + std::strerror(errno));
  }
  std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
}

ChunkedFile::~ChunkedFile() {
  if (m_file != nullptr) {
    std::fclose(m_file);
  }
}

void ChunkedFile::write(std::string_view bytes) {
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
      cut();
    }
  }
}

void ChunkedFile::cut() {
  if (m_in_chunk == 0) {
    return;
  }
  m_chunks.push_back({util::to_hex(m_chunk.finish()), m_offset, m_in_chunk});
  m_offset += m_in_chunk;
  m_in_chunk = 0;
  m_chunk = util::Sha1();
  if (m_on_chunk) {
    if (std::fflush(m_file) != 0) {
      throw Error("cannot write bundle file '" + m_path.string() +
                  "': " + std::strerror(errno));
    }
    m_on_chunk(m_chunks.back());
  }
}

ChunkedFileSummary ChunkedFile::finish() {
  cut();
  std::FILE *file = m_file;
  m_file = nullptr;
  if (std::fclose(file) != 0) {
    throw Error("cannot write bundle file '" + m_path.string() + "'");
  }
  return {m_offset, util::to_hex(m_whole.finish()), std::move(m_chunks)};
}

} // namespace uploader::bundle
