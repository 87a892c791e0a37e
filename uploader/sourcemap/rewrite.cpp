#include "uploader/sourcemap/rewrite.hpp"

#include "uploader/sourcemap/json.hpp"
#include "uploader/sourcemap/source_map.hpp"

namespace uploader::sourcemap {

namespace {

// A JsonString for `value`, kept alive in `map.owned`.
JsonString owned_string(ParsedMap &map, const std::string &value) {
  std::string quoted;
  append_json_string(quoted, value);
  map.owned.push_back(quoted.substr(1, quoted.size() - 2));
  const std::string &raw = map.owned.back();
  return JsonString{raw, raw.find('\\') != std::string::npos};
}

void strip_sources(ParsedMap &map, const std::vector<std::string> &prefixes) {
  for (auto &source : map.sources) {
    std::string value = source.decode();
    for (std::string prefix : prefixes) {
      if (!prefix.ends_with('/')) {
        prefix += '/';
      }
      if (value.starts_with(prefix)) {
        source = owned_string(map, value.substr(prefix.size()));
        break;
      }
    }
  }
  for (auto &section : map.sections) {
    if (section.map) {
      strip_sources(*section.map, prefixes);
    }
  }
}

} // namespace

std::string strip_source_prefixes(std::string_view map_text,
                                  const std::vector<std::string> &prefixes) {
  ParsedMap map = parse_source_map(map_text);
  strip_sources(map, prefixes);
  std::string out;
  write_source_map(map, MapWriteOptions{}, out);
  return out;
}

} // namespace uploader::sourcemap
