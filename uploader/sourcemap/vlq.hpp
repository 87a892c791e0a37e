#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace uploader::sourcemap {

// Base64 VLQ as used in source-map `mappings`.

// Appends the VLQ encoding of `value` to `out`.
void encode_vlq(std::string &out, std::int64_t value);

enum class VlqStatus { ok, end, invalid_char, overflow, leftover };

// Decodes one VLQ number from `text` starting at `pos` (advanced past it).
// Stops at `,`/`;` or the end: `end` if nothing was read there,
// `leftover` if a number was cut off. `invalid_char` on a non-base64 byte.
VlqStatus decode_vlq(std::string_view text, std::size_t &pos,
                     std::int64_t &value);

} // namespace uploader::sourcemap
