#include "uploader/util/lines.hpp"

namespace uploader::util {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (true) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    lines.emplace_back(line);
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  if (!lines.empty() && lines.back().empty()) {
    lines.pop_back(); // the file's final newline ends a line, opens none
  }
  return lines;
}

} // namespace uploader::util
