#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::bundle {

enum class ZipMethod : std::uint16_t { stored = 0, deflate = 8 };

// One entry ready to be written: its payload is already compressed, so that
// entries can be prepared on worker threads and written in a fixed order.
struct ZipEntry {
  std::string name;
  std::string payload; // stored bytes, or raw DEFLATE data
  ZipMethod method = ZipMethod::stored;
  std::uint32_t crc32 = 0;
  std::uint64_t uncompressed_size = 0;
};

// Compresses `data` with libdeflate at `level` (1..12) and falls back to
// storing when compression would not make it smaller, as zip tools do.
ZipEntry make_zip_entry(std::string name, std::string_view data, int level);

// The bytes ZipWriter::add writes for `entry`: local header, name, data.
std::uint64_t local_entry_size(const ZipEntry &entry);

// A deterministic zip writer: every entry gets the same timestamp
// (1980-01-01 00:00, the zip epoch), entries are written in the order they
// are added, and nothing machine-specific is recorded, so identical input
// gives identical bytes. Output goes to `sink` as it is produced; offsets are
// relative to the first byte this writer emits. No zip64: a bundle is split
// long before 4 GiB.
class ZipWriter {
public:
  using Sink = std::function<void(std::string_view)>;

  explicit ZipWriter(Sink sink);

  void add(const ZipEntry &entry);
  // Writes the central directory; the writer must not be used afterwards.
  void finish();

  std::uint64_t bytes_written() const { return m_offset; }

private:
  struct CentralRecord {
    std::string name;
    ZipMethod method;
    std::uint32_t crc32;
    std::uint32_t compressed_size;
    std::uint32_t uncompressed_size;
    std::uint32_t local_header_offset;
  };

  void emit(std::string_view bytes);

  Sink m_sink;
  std::uint64_t m_offset = 0;
  std::vector<CentralRecord> m_records;
};

} // namespace uploader::bundle
