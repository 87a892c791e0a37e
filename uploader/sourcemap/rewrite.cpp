#include "uploader/sourcemap/rewrite.hpp"

#include "uploader/sourcemap/json.hpp"
#include "uploader/sourcemap/source_map.hpp"

#include <algorithm>

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

// Every source of `map` and its sections, decoded.
void collect_sources(const ParsedMap &map, std::vector<std::string> &out) {
  for (const auto &source : map.sources) {
    out.push_back(source.decode());
  }
  for (const auto &section : map.sections) {
    if (section.map) {
      collect_sources(*section.map, out);
    }
  }
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

bool is_absolute_source(std::string_view source) {
  if (source.starts_with('/')) {
    return true;
  }
  auto letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  return source.size() > 3 && letter(source[0]) && source[1] == ':' &&
         (source[2] == '/' || source[2] == '\\');
}

// "/foo/bar" -> "", "/foo", "/bar": each component keeps the separator
// before it.
std::vector<std::string_view> path_components(std::string_view path) {
  std::vector<std::string_view> components;
  std::size_t start = 0;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '/' || path[i] == '\\') {
      components.push_back(path.substr(start, i - start));
      start = i;
    }
  }
  if (start < path.size()) {
    components.push_back(path.substr(start));
  }
  return components;
}

} // namespace

std::optional<std::string>
common_source_prefix(const std::vector<std::string> &sources) {
  std::vector<std::vector<std::string_view>> paths;
  for (const auto &source : sources) {
    if (is_absolute_source(source)) {
      paths.push_back(path_components(source));
    }
  }
  if (paths.empty()) {
    return std::nullopt;
  }
  std::ranges::stable_sort(paths, {}, &std::vector<std::string_view>::size);
  const auto &shortest = paths.front();
  // The number of leading components of `shortest` that a path shares; as
  // in rust-sourcemap, a path sharing none does not stop a later one from
  // setting the count again.
  std::optional<std::size_t> shared;
  for (const auto &path : paths) {
    std::size_t count = 0;
    while (count < shortest.size() && count < path.size() &&
           path[count] == shortest[count]) {
      ++count;
    }
    std::optional<std::size_t> this_shared;
    if (count > 0) {
      this_shared = count;
    }
    if (!shared || (!this_shared || *this_shared < *shared)) {
      shared = this_shared;
    }
  }
  if (!shared) {
    return std::nullopt;
  }
  std::string prefix;
  for (std::size_t i = 0; i < *shared; ++i) {
    prefix += shortest[i];
  }
  if (prefix.empty() || prefix == "/") {
    return std::nullopt;
  }
  return prefix;
}

std::string strip_source_prefixes(std::string_view map_text,
                                  const std::vector<std::string> &prefixes) {
  ParsedMap map = parse_source_map(map_text);
  std::vector<std::string> effective;
  bool common = false;
  for (const auto &prefix : prefixes) {
    if (prefix == "~") {
      common = true;
    } else {
      effective.push_back(prefix);
    }
  }
  if (common) {
    std::vector<std::string> sources;
    collect_sources(map, sources);
    if (auto prefix = common_source_prefix(sources)) {
      effective.push_back(*prefix);
    }
  }
  strip_sources(map, effective);
  std::string out;
  write_source_map(map, MapWriteOptions{}, out);
  return out;
}

} // namespace uploader::sourcemap
