#include "uploader/sourcemap/vlq.hpp"

namespace uploader::sourcemap {

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
    std::int8_t digit = k_vlq_digit_values[static_cast<unsigned char>(c)];
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
