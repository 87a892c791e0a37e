#include "uploader/sourcemap/source_paths.hpp"

#include "uploader/util/platform.hpp"
#include "uploader/util/strings.hpp"

#include <algorithm>

namespace uploader::sourcemap {

namespace fs = std::filesystem;

namespace {

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The length of a leading `scheme://` (RFC 3986 scheme characters), or 0.
std::size_t scheme_length(std::string_view source) {
  if (source.empty() || !is_letter(source[0])) {
    return 0;
  }
  std::size_t i = 1;
  while (i < source.size() &&
         (is_letter(source[i]) || (source[i] >= '0' && source[i] <= '9') ||
          source[i] == '+' || source[i] == '-' || source[i] == '.')) {
    ++i;
  }
  return source.substr(i).starts_with("://") ? i + 3 : 0;
}

// `C:/x` or `C:\x`: a Windows path, whatever system we run on.
bool is_drive_path(std::string_view path) {
  return path.size() >= 3 && is_letter(path[0]) && path[1] == ':' &&
         (path[2] == '/' || path[2] == '\\');
}

// `a/./b/../c` -> `a/c`: `.` and empty segments dropped, `..` taking the
// segment before it (and dropped when there is none: a path above the
// root reads as if it started there).
std::string normalize_segments(std::string_view path) {
  std::vector<std::string_view> kept;
  for (std::string_view segment : util::split(path, '/')) {
    if (segment.empty() || segment == ".") {
      continue;
    }
    if (segment == "..") {
      if (!kept.empty()) {
        kept.pop_back();
      }
      continue;
    }
    kept.push_back(segment);
  }
  std::string out;
  for (std::string_view segment : kept) {
    out += out.empty() ? "" : "/";
    out += segment;
  }
  return out;
}

// How an absolute path reads from `root`: relative when inside it, else
// its relative form without the leading `../`.
std::string name_from_root(const fs::path &absolute, fs::path root) {
  if (root.has_relative_path() && root.filename().empty()) {
    root = root.parent_path();
  }
  fs::path relative = absolute.lexically_relative(root);
  if (relative.empty()) { // no common root (another drive)
    relative = absolute.relative_path();
  }
  std::string name = normalize_segments(relative.generic_string());
  return name.empty() ? absolute.filename().generic_string() : name;
}

SourcePlace place_absolute(std::string path, const SourcePathContext &context) {
  if (is_drive_path(path)) {
    std::ranges::replace(path, '\\', '/');
    if (!is_drive_path(context.source_root.generic_string())) {
      // A Windows build's map read here: no root to be relative to.
      return {normalize_segments(std::string_view(path).substr(2)),
              util::path_from_utf8(path)};
    }
  }
  fs::path absolute = util::path_from_utf8(path).lexically_normal();
  return {name_from_root(absolute, context.source_root), absolute};
}

// `file:///home/a%20b/x.js` -> `/home/a b/x.js` (`file://host/...` and
// `file:///C:/...` too).
std::string file_url_path(std::string_view after_scheme) {
  std::size_t slash = after_scheme.find('/');
  std::string path = util::percent_decode(slash == std::string_view::npos
                                              ? std::string_view()
                                              : after_scheme.substr(slash));
  if (path.size() > 1 && is_drive_path(std::string_view(path).substr(1))) {
    path.erase(0, 1);
  }
  return path;
}

} // namespace

std::string join_source_root(std::string_view source_root,
                             std::string_view source) {
  if (source_root.empty()) {
    return std::string(source);
  }
  std::string joined(source_root);
  if (!joined.ends_with('/')) {
    joined += '/';
  }
  joined += source;
  return joined;
}

SourcePlace place_source(std::string_view source,
                         const SourcePathContext &context) {
  if (source.empty()) {
    return {std::string(source), std::nullopt};
  }
  if (std::size_t scheme = scheme_length(source)) {
    std::string lower = util::ascii_lower(source.substr(0, scheme));
    if (lower == "http://" || lower == "https://") {
      return {std::string(source), std::nullopt};
    }
    if (lower == "file://") {
      std::string path = file_url_path(source.substr(scheme));
      if (path.empty()) {
        return {std::string(source), std::nullopt};
      }
      return place_absolute(std::move(path), context);
    }
    // The authority is the bundler's namespace (webpack's output name), not
    // a folder of the project.
    std::string_view rest = source.substr(scheme);
    std::size_t slash = rest.find('/');
    std::string name = slash == std::string_view::npos
                           ? std::string()
                           : normalize_segments(rest.substr(slash + 1));
    if (name.empty()) {
      return {std::string(source), std::nullopt};
    }
    std::string on_disk = name.substr(0, name.find('?'));
    return {name, (context.source_root / util::path_from_utf8(on_disk))
                      .lexically_normal()};
  }
  std::string path(source);
  if (path.starts_with('/') || is_drive_path(path)) {
    return place_absolute(std::move(path), context);
  }
  return place_absolute(util::path_as_url(util::path_to_utf8(
                            context.map_folder / util::path_from_utf8(path))),
                        context);
}

} // namespace uploader::sourcemap
