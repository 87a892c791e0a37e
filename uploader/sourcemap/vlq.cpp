#include "uploader/sourcemap/vlq.hpp"

#include <array>

namespace uploader::sourcemap {

namespace {

constexpr std::array<std::int8_t, 256> make_table() {
  std::array<std::int8_t, 256> table{};
  for (auto &entry : table) {
    entry = -1;
  }
  for (std::size_t i = 0; i < k_vlq_alphabet.size(); ++i) {
    table[static_cast<unsigned char>(k_vlq_alphabet[i])] =
        static_cast<std::int8_t>(i);
  }
  return table;
}

constexpr std::array<std::int8_t, 256> k_table = make_table();

} // namespace

void encode_vlq(std::string &out, std::int64_t value) {
  char digits[k_max_vlq_size];
  out.append(digits, encode_vlq(digits, value));
}

VlqStatus decode_vlq(std::string_view text, std::size_t &pos,
                     std::int64_t &value) {
  std::int64_t accumulated = 0;
  int shift = 0;
  bool any = false;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == ',' || c == ';') {
      break;
    }
    std::int8_t digit = k_table[static_cast<unsigned char>(c)];
    if (digit < 0) {
      return VlqStatus::invalid_char;
    }
    ++pos;
    any = true;
    if (shift >= 64) {
      return VlqStatus::overflow;
    }
    accumulated += static_cast<std::int64_t>(
        static_cast<std::uint64_t>(digit & 31) << shift);
    shift += 5;
    if ((digit & 32) == 0) {
      bool negative = (accumulated & 1) != 0;
      accumulated >>= 1;
      value = negative ? -accumulated : accumulated;
      return VlqStatus::ok;
    }
  }
  return any ? VlqStatus::leftover : VlqStatus::end;
}

} // namespace uploader::sourcemap
