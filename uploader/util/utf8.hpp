#pragma once

#include <cstddef>
#include <string_view>

namespace uploader::util {

// True if `text` is well-formed UTF-8 (no overlongs, surrogates or values
// above U+10FFFF), as Rust's std::str::from_utf8 requires.
bool is_valid_utf8(std::string_view text);

// Byte offset of the first invalid sequence, or text.size() if none.
std::size_t first_invalid_utf8(std::string_view text);

} // namespace uploader::util
