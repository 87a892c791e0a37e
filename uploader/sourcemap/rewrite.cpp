#include "uploader/sourcemap/rewrite.hpp"

#include <algorithm>

namespace uploader::sourcemap {

namespace {

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

std::vector<std::string>
effective_strip_prefixes(const std::vector<std::string> &prefixes,
                         const std::vector<std::string> &sources) {
  std::vector<std::string> effective;
  bool common = false;
  for (std::string prefix : prefixes) {
    if (prefix == "~") {
      common = true;
      continue;
    }
    if (!prefix.ends_with('/')) {
      prefix += '/';
    }
    effective.push_back(std::move(prefix));
  }
  if (auto prefix = common ? common_source_prefix(sources) : std::nullopt) {
    effective.push_back(*prefix + (prefix->ends_with('/') ? "" : "/"));
  }
  return effective;
}

std::optional<std::string>
strip_first_prefix(std::string_view source,
                   const std::vector<std::string> &prefixes) {
  for (const auto &prefix : prefixes) {
    if (source.starts_with(prefix)) {
      return std::string(source.substr(prefix.size()));
    }
  }
  return std::nullopt;
}

} // namespace uploader::sourcemap
