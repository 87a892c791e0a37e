#include "uploader/util/ascii.hpp"

namespace uploader::util {

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char &c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

} // namespace uploader::util
