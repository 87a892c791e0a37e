#include "uploader/bundle/zip_writer.hpp"

#include "uploader/bundle/zip_format.hpp"
#include "uploader/util/deflate.hpp"
#include "uploader/util/error.hpp"

#include <limits>
#include <memory>

namespace uploader::bundle {

namespace {

using namespace zip_format;
constexpr std::uint16_t k_version_needed = 20;      // 2.0: deflate
constexpr std::uint16_t k_version_made_by = 0x0314; // Unix, spec 2.0
constexpr std::uint16_t k_flag_utf8_name = 0x0800;
constexpr std::uint16_t k_dos_time = 0;                       // 00:00:00
constexpr std::uint16_t k_dos_date = (0 << 9) | (1 << 5) | 1; // 1980-01-01
constexpr std::uint32_t k_regular_file_mode = 0100644u << 16;

void put16(std::string &out, std::uint16_t value) {
  out += static_cast<char>(value & 0xff);
  out += static_cast<char>(value >> 8);
}

void put32(std::string &out, std::uint32_t value) {
  put16(out, static_cast<std::uint16_t>(value & 0xffff));
  put16(out, static_cast<std::uint16_t>(value >> 16));
}

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return false;
    }
  }
  return true;
}

std::uint32_t checked32(std::uint64_t value, std::string_view what) {
  if (value > std::numeric_limits<std::uint32_t>::max()) {
    throw Error("artifact bundle too large: " + std::string(what) +
                " exceeds 4 GiB (zip64 is not written)");
  }
  return static_cast<std::uint32_t>(value);
}

} // namespace

ZipEntry make_zip_entry(std::string name, std::string_view data, int level) {
  ZipEntry entry;
  entry.name = std::move(name);
  entry.uncompressed_size = data.size();
  entry.crc32 = util::crc32(data);
  if (auto compressed = util::deflate_smaller(data, level)) {
    entry.payload = std::move(*compressed);
    entry.method = ZipMethod::deflate;
  } else {
    entry.payload = std::string(data);
    entry.method = ZipMethod::stored;
  }
  return entry;
}

std::uint64_t local_entry_size(const ZipEntry &entry) {
  constexpr std::uint64_t k_local_header_size = 30;
  return k_local_header_size + entry.name.size() + entry.payload.size();
}

ZipWriter::ZipWriter(Sink sink) : m_sink(std::move(sink)) {}

void ZipWriter::emit(std::string_view bytes) {
  m_sink(bytes);
  m_offset += bytes.size();
}

void ZipWriter::add(const ZipEntry &entry) {
  CentralRecord record{entry.name,
                       entry.method,
                       entry.crc32,
                       checked32(entry.payload.size(), entry.name),
                       checked32(entry.uncompressed_size, entry.name),
                       checked32(m_offset, "bundle offset")};
  std::string header;
  put32(header, k_local_header_signature);
  put16(header, k_version_needed);
  put16(header, is_ascii(entry.name) ? 0 : k_flag_utf8_name);
  put16(header, static_cast<std::uint16_t>(entry.method));
  put16(header, k_dos_time);
  put16(header, k_dos_date);
  put32(header, record.crc32);
  put32(header, record.compressed_size);
  put32(header, record.uncompressed_size);
  put16(header, static_cast<std::uint16_t>(entry.name.size()));
  put16(header, 0); // no extra field
  header += entry.name;
  emit(header);
  emit(entry.payload);
  m_records.push_back(std::move(record));
}

void ZipWriter::finish() {
  std::uint64_t directory_start = m_offset;
  for (const auto &record : m_records) {
    std::string header;
    put32(header, k_central_header_signature);
    put16(header, k_version_made_by);
    put16(header, k_version_needed);
    put16(header, is_ascii(record.name) ? 0 : k_flag_utf8_name);
    put16(header, static_cast<std::uint16_t>(record.method));
    put16(header, k_dos_time);
    put16(header, k_dos_date);
    put32(header, record.crc32);
    put32(header, record.compressed_size);
    put32(header, record.uncompressed_size);
    put16(header, static_cast<std::uint16_t>(record.name.size()));
    put16(header, 0); // extra field length
    put16(header, 0); // comment length
    put16(header, 0); // disk number
    put16(header, 0); // internal attributes
    put32(header, k_regular_file_mode);
    put32(header, record.local_header_offset);
    header += record.name;
    emit(header);
  }
  if (m_records.size() > std::numeric_limits<std::uint16_t>::max()) {
    throw Error("artifact bundle has more than 65535 files; split it");
  }
  auto count = static_cast<std::uint16_t>(m_records.size());
  std::string end;
  put32(end, k_end_of_central_directory_signature);
  put16(end, 0); // this disk
  put16(end, 0); // disk with the directory
  put16(end, count);
  put16(end, count);
  put32(end, checked32(m_offset - directory_start, "central directory"));
  put32(end, checked32(directory_start, "central directory offset"));
  put16(end, 0); // comment length
  emit(end);
}

} // namespace uploader::bundle
