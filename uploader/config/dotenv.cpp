#include "uploader/config/dotenv.hpp"

#include "uploader/util/strings.hpp"

#include <cctype>

namespace uploader::config {

namespace {

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         c == '.' || c == '-';
}

std::string_view trim_blanks(std::string_view text) {
  return util::trim(text, " \t\r");
}

std::string expand_double_quoted(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size() &&
        (value[i + 1] == 'n' || value[i + 1] == 'r')) {
      out += value[i + 1] == 'n' ? '\n' : '\r';
      ++i;
    } else {
      out += value[i];
    }
  }
  return out;
}

} // namespace

std::vector<std::pair<std::string, std::string>>
parse_dotenv(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> entries;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t line_end = text.find('\n', pos);
    if (line_end == std::string_view::npos) {
      line_end = text.size();
    }
    std::string_view line = trim_blanks(text.substr(pos, line_end - pos));
    size_t next = line_end + 1;
    if (line.starts_with("export ")) {
      line = trim_blanks(line.substr(7));
    }
    size_t eq = line.find('=');
    size_t key_end = 0;
    while (key_end < line.size() && is_key_char(line[key_end])) {
      ++key_end;
    }
    if (line.empty() || line.front() == '#' || eq == std::string_view::npos ||
        key_end == 0 ||
        !trim_blanks(line.substr(key_end, eq - key_end)).empty()) {
      pos = next;
      continue;
    }
    std::string key(line.substr(0, key_end));
    std::string_view rest = trim_blanks(line.substr(eq + 1));
    std::string value;
    char quote = rest.empty() ? '\0' : rest.front();
    if (quote == '"' || quote == '\'' || quote == '`') {
      // The closing quote may be on a later line.
      size_t value_start =
          pos + static_cast<size_t>(rest.data() + 1 - text.substr(pos).data());
      size_t close = text.find(quote, value_start);
      if (close == std::string_view::npos) {
        // Unterminated: dotenv keeps the line as an unquoted value.
        value = std::string(rest);
      } else {
        std::string_view raw = text.substr(value_start, close - value_start);
        value = quote == '"' ? expand_double_quoted(raw) : std::string(raw);
        size_t after = text.find('\n', close);
        next = after == std::string_view::npos ? text.size() : after + 1;
      }
    } else {
      size_t comment = rest.find(" #");
      value = std::string(trim_blanks(rest.substr(0, comment)));
    }
    entries.emplace_back(std::move(key), std::move(value));
    pos = next;
  }
  return entries;
}

} // namespace uploader::config
