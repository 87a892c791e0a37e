#include "uploader/util/url.hpp"

#include <cctype>

namespace uploader::util {

std::string encode_query_value(std::string_view value) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 ||
        std::string_view("-_.~:/").find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 0xf];
    }
  }
  return out;
}

} // namespace uploader::util
