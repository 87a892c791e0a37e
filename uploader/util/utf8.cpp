#include "uploader/util/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace uploader::util {

std::size_t first_invalid_utf8(std::string_view text) {
  const auto *bytes = reinterpret_cast<const std::uint8_t *>(text.data());
  std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    // Fast path over ASCII: 32 bytes at a time, then eight at a time.
    while (i + 32 <= size) {
      std::uint64_t words[4];
      std::memcpy(words, bytes + i, sizeof(words));
      if (((words[0] | words[1] | words[2] | words[3]) &
           0x8080808080808080ull) != 0) {
        break;
      }
      i += 32;
    }
    while (i + 8 <= size) {
      std::uint64_t word = 0;
      for (int k = 0; k < 8; ++k) {
        word |= static_cast<std::uint64_t>(bytes[i + k]) << (8 * k);
      }
      if ((word & 0x8080808080808080ull) != 0) {
        break;
      }
      i += 8;
    }
    if (i >= size) {
      break;
    }
    std::uint8_t lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint8_t low = 0x80;
    std::uint8_t high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) {
        low = 0xa0;
      } else if (lead == 0xed) {
        high = 0x9f;
      }
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) {
        low = 0x90;
      } else if (lead == 0xf4) {
        high = 0x8f;
      }
    } else {
      return i;
    }
    if (i + length > size) {
      return i;
    }
    if (bytes[i + 1] < low || bytes[i + 1] > high) {
      return i;
    }
    for (std::size_t k = 2; k < length; ++k) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) {
        return i;
      }
    }
    i += length;
  }
  return size;
}

bool is_valid_utf8(std::string_view text) {
  return first_invalid_utf8(text) == text.size();
}

} // namespace uploader::util
