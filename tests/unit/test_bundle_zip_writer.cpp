#include "uploader/bundle/zip_writer.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <map>

using uploader::bundle::make_zip_entry;
using uploader::bundle::ZipMethod;
using uploader::bundle::ZipWriter;

namespace {

std::uint32_t read32(const std::string &s, size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) {
    v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<size_t>(i)]);
  }
  return v;
}

std::uint16_t read16(const std::string &s, size_t at) {
  return static_cast<std::uint16_t>(
      static_cast<unsigned char>(s[at]) |
      (static_cast<unsigned char>(s[at + 1]) << 8));
}

std::string inflate_raw(const std::string &data, size_t size) {
  std::string out(size, '\0');
  z_stream stream{};
  inflateInit2(&stream, -15);
  stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef *>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&stream, Z_FINISH);
  inflateEnd(&stream);
  EXPECT_EQ(rc, Z_STREAM_END);
  return out;
}

// A minimal reader that trusts only the central directory, as unzip does,
// and checks each local header and CRC against it.
std::map<std::string, std::string> read_zip(const std::string &zip) {
  size_t end = zip.size() - 22;
  EXPECT_EQ(read32(zip, end), 0x06054b50u);
  std::uint16_t count = read16(zip, end + 10);
  size_t at = read32(zip, end + 16);
  std::map<std::string, std::string> files;
  for (int i = 0; i < count; ++i) {
    EXPECT_EQ(read32(zip, at), 0x02014b50u);
    std::uint16_t method = read16(zip, at + 10);
    EXPECT_EQ(read16(zip, at + 12), 0);    // time 00:00
    EXPECT_EQ(read16(zip, at + 14), 0x21); // date 1980-01-01
    std::uint32_t crc = read32(zip, at + 16);
    std::uint32_t csize = read32(zip, at + 20);
    std::uint32_t usize = read32(zip, at + 24);
    std::uint16_t name_len = read16(zip, at + 28);
    std::uint32_t local = read32(zip, at + 42);
    std::string name = zip.substr(at + 46, name_len);
    EXPECT_EQ(read32(zip, local), 0x04034b50u);
    EXPECT_EQ(zip.substr(local + 30, name_len), name);
    std::string payload = zip.substr(local + 30 + name_len, csize);
    std::string data = method == 8 ? inflate_raw(payload, usize) : payload;
    EXPECT_EQ(crc32(0, reinterpret_cast<const Bytef *>(data.data()),
                    static_cast<uInt>(data.size())),
              crc);
    files[name] = data;
    at += 46 + name_len;
  }
  return files;
}

std::string
write_zip(const std::vector<std::pair<std::string, std::string>> &in) {
  std::string zip;
  ZipWriter writer([&](std::string_view bytes) { zip.append(bytes); });
  for (const auto &[name, data] : in) {
    writer.add(make_zip_entry(name, data, 6));
  }
  writer.finish();
  EXPECT_EQ(writer.bytes_written(), zip.size());
  return zip;
}

} // namespace

TEST(BundleZipWriter, RoundTripsStoredAndDeflatedEntries) {
  std::string repetitive(100000, 'a');
  auto zip = write_zip({{"files/_/_/a.js", repetitive},
                        {"files/_/_/empty.js", ""},
                        {"files/_/_/ü.js", "x"},
                        {"manifest.json", "{\"files\":{}}"}});
  auto files = read_zip(zip);
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files["files/_/_/a.js"], repetitive);
  EXPECT_EQ(files["files/_/_/empty.js"], "");
  EXPECT_EQ(files["files/_/_/ü.js"], "x");
  EXPECT_EQ(files["manifest.json"], "{\"files\":{}}");
  EXPECT_LT(zip.size(), 2000u) << "repetitive data must be deflated";
}

TEST(BundleZipWriter, IncompressibleDataIsStored) {
  auto entry = make_zip_entry("x", "ab", 6);
  EXPECT_EQ(entry.method, ZipMethod::stored);
  EXPECT_EQ(entry.payload, "ab");
}

TEST(BundleZipWriter, SameInputGivesSameBytes) {
  std::vector<std::pair<std::string, std::string>> input{
      {"files/a", "console.log(1);\n"}, {"manifest.json", "{}"}};
  EXPECT_EQ(write_zip(input), write_zip(input));
}

TEST(BundleZipWriter, KeepsInsertionOrder) {
  auto zip = write_zip({{"b", "1"}, {"a", "2"}});
  EXPECT_LT(zip.find("b"), zip.find("a"));
}
