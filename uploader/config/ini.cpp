#include "uploader/config/ini.hpp"

#include "uploader/util/strings.hpp"

namespace uploader::config {

using util::trim;

std::map<std::string, std::string, std::less<>>
parse_ini(std::string_view text) {
  std::map<std::string, std::string, std::less<>> values;
  std::string section = "default";
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line.front() == '#' || line.front() == ';') {
      continue;
    }
    if (line.front() == '[' && line.back() == ']') {
      section = std::string(trim(line.substr(1, line.size() - 2)));
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    values[section + "." + std::string(trim(line.substr(0, eq)))] =
        std::string(trim(line.substr(eq + 1)));
  }
  return values;
}

} // namespace uploader::config
