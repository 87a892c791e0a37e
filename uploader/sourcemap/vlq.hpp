#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace uploader::sourcemap {

// Base64 VLQ as used in source-map `mappings`.

inline constexpr std::string_view k_vlq_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The value of each base64 digit, or -1 for a byte that is not one.
inline constexpr std::array<std::int8_t, 256> k_vlq_digit_values = [] {
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < k_vlq_alphabet.size(); ++i) {
    table[static_cast<unsigned char>(k_vlq_alphabet[i])] =
        static_cast<std::int8_t>(i);
  }
  return table;
}();

// The longest encoding of a value: 64 bits plus the sign, 5 bits a digit.
inline constexpr std::size_t k_max_vlq_size = 13;

// Writes the VLQ encoding of `value` at `out`; returns the end. Inline: the
// mappings encoder calls it for every number.
inline char *encode_vlq(char *out, std::int64_t value) {
  std::uint64_t rest = value < 0 ? (static_cast<std::uint64_t>(-value) << 1) + 1
                                 : static_cast<std::uint64_t>(value) << 1;
  do {
    std::uint64_t digit = rest & 31;
    rest >>= 5;
    if (rest > 0) {
      digit |= 32;
    }
    *out++ = k_vlq_alphabet[digit];
  } while (rest > 0);
  return out;
}

// Appends the VLQ encoding of `value` to `out`.
void encode_vlq(std::string &out, std::int64_t value);

enum class VlqStatus { ok, end, invalid_char, overflow, leftover };

// Decodes one VLQ number from `text` starting at `pos` (advanced past it).
// Stops at `,`/`;` or the end: `end` if nothing was read there,
// `leftover` if a number was cut off. `invalid_char` on a non-base64 byte.
VlqStatus decode_vlq(std::string_view text, std::size_t &pos,
                     std::int64_t &value);

} // namespace uploader::sourcemap
