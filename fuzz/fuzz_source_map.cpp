// Source-map reader, mappings decoder/encoder and VLQ: whatever the bytes,
// parsing either succeeds or throws uploader::Error, and a parsed map can
// be written back (the inject path) without crashing.
#include "uploader/sourcemap/mappings.hpp"
#include "uploader/sourcemap/source_map.hpp"
#include "uploader/sourcemap/vlq.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace sm = uploader::sourcemap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  sm::is_sourcemap(text);
  try {
    sm::ParsedMap map = sm::parse_source_map(text);
    // inject trusts the parse's verdict instead of sniffing maps twice.
    if (map.passes_is_sourcemap != sm::is_sourcemap(text)) {
      std::abort();
    }
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
  // The raw bytes as a `mappings` string too, with small index ranges; the
  // fast path must give what re-encoding the tokens gives.
  sm::LineEdit shift;
  shift.split_line = static_cast<std::uint32_t>(size % 3);
  shift.has_tail = true;
  shift.content_lines = static_cast<std::uint32_t>(size % 7);
  for (const sm::LineEdit *edit :
       {static_cast<sm::LineEdit *>(nullptr), &shift}) {
    std::string fast;
    std::string slow;
    bool fast_failed = false;
    bool slow_failed = false;
    try {
      sm::rewrite_mappings(text, 4, 4, edit, fast);
    } catch (const uploader::Error &) {
      fast_failed = true;
    }
    try {
      sm::reencode_mappings(text, 4, 4, edit, slow);
    } catch (const uploader::Error &) {
      slow_failed = true;
    }
    if (fast_failed != slow_failed || fast != slow) {
      std::abort();
    }
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
