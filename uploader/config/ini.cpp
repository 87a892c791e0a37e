#include "uploader/config/ini.hpp"

namespace uploader::config {

namespace {

std::string_view trim(std::string_view text) {
  constexpr std::string_view k_space = " \t\r";
  size_t first = text.find_first_not_of(k_space);
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(k_space) - first + 1);
}

} // namespace

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
