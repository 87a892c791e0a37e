// Source-map reader, mappings decoder/encoder and VLQ: whatever the bytes,
// parsing either succeeds or throws uploader::Error, and a parsed map can
// be written back (the inject path) without crashing.
#include "uploader/sourcemap/mappings.hpp"
#include "uploader/sourcemap/source_map.hpp"
#include "uploader/sourcemap/vlq.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sm = uploader::sourcemap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  sm::is_sourcemap(text);
  try {
    sm::ParsedMap map = sm::parse_source_map(text);
    std::string out;
    sm::LineEdit edit = sm::line_edit_for_insert(text, size / 2);
    sm::MapWriteOptions options;
    options.edit = &edit;
    options.section_line_shift = 2;
    sm::write_source_map(map, options, out);
    // What we wrote must read back.
    sm::parse_source_map(out);
  } catch (const uploader::Error &) {
  }
  // The raw bytes as a `mappings` string too, with small index ranges.
  try {
    std::string out;
    sm::rewrite_mappings(text, 4, 4, nullptr, out);
  } catch (const uploader::Error &) {
  }
  std::size_t pos = 0;
  std::int64_t value = 0;
  while (pos < text.size()) {
    auto status = sm::decode_vlq(text, pos, value);
    if (status == sm::VlqStatus::ok) {
      std::string encoded;
      sm::encode_vlq(encoded, value);
    } else {
      ++pos;
    }
  }
  return 0;
}
