#include "uploader/discovery/references.hpp"

#include "uploader/util/platform.hpp"
#include "uploader/util/strings.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace uploader::discovery {

namespace {

bool is_ascii_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

bool is_separator(char c) { return c == '/' || c == '\\'; }

bool is_drive_letter_path(std::string_view path) {
  return path.size() >= 2 &&
         ((path[0] >= 'a' && path[0] <= 'z') ||
          (path[0] >= 'A' && path[0] <= 'Z')) &&
         path[1] == ':' && (path.size() == 2 || is_separator(path[2]));
}

bool is_absolute_windows(std::string_view path) {
  return path.starts_with("\\\\") || path.starts_with("//") ||
         is_drive_letter_path(path);
}

bool is_windows_path(std::string_view path) {
  return is_absolute_windows(path) || path.find('\\') != std::string_view::npos;
}

std::string join_path(std::string_view base, std::string_view other) {
  if (other.starts_with('<') && other.ends_with('>')) {
    return std::string(other);
  }
  if (base.empty() || is_absolute_windows(other) || other.starts_with('/')) {
    return std::string(other);
  }
  if (other.empty()) {
    return std::string(base);
  }
  if (is_separator(other.front())) {
    if (is_absolute_windows(base)) {
      return std::string(base.substr(0, 2)) + std::string(other);
    }
    return std::string(other);
  }
  bool windows = is_windows_path(base) || is_windows_path(other);
  while (!base.empty() && is_separator(base.back())) {
    base.remove_suffix(1);
  }
  while (!other.empty() && is_separator(other.front())) {
    other.remove_prefix(1);
  }
  return std::string(base) + (windows ? '\\' : '/') + std::string(other);
}

bool pop_path(std::string &path) {
  auto idx = path.find_last_of("/\\");
  if (idx != std::string::npos) {
    path.resize(idx);
    return true;
  }
  if (!path.empty()) {
    path.clear();
    return true;
  }
  return false;
}

std::string clean_path(std::string_view path) {
  std::string out;
  char separator = is_windows_path(path) ? '\\' : '/';
  bool needs_separator = false;
  bool past_root = false;
  // split_terminator: no trailing empty segment.
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || is_separator(path[i])) {
      if (i == path.size() && start == i) {
        break;
      }
      segments.push_back(path.substr(start, i - start));
      start = i + 1;
    }
  }
  for (std::string_view segment : segments) {
    if (segment == ".") {
      continue;
    }
    if (segment == "..") {
      if (!past_root && pop_path(out)) {
        if (out.empty()) {
          needs_separator = false;
        }
      } else {
        if (!past_root) {
          needs_separator = false;
          past_root = true;
        }
        if (needs_separator) {
          out += separator;
        }
        out += "..";
        needs_separator = true;
      }
      continue;
    }
    if (needs_separator) {
      out += separator;
    } else {
      needs_separator = true;
    }
    out += segment;
  }
  return out;
}

// url = "<path>/<basename>.<ext>", basename up to the first '.' of the name.
struct SplitUrl {
  std::optional<std::string> path;
  std::string basename;
  std::optional<std::string> ext;
};

SplitUrl split_url(std::string_view url) {
  SplitUrl split;
  auto slash = url.rfind('/');
  std::string_view name = url;
  if (slash != std::string_view::npos) {
    split.path = std::string(url.substr(0, slash));
    name = url.substr(slash + 1);
  }
  auto dot = name.find('.');
  if (dot == std::string_view::npos) {
    split.basename = std::string(name);
  } else {
    split.basename = std::string(name.substr(0, dot));
    split.ext = std::string(name.substr(dot + 1));
  }
  return split;
}

std::string unsplit_url(const std::optional<std::string> &path,
                        const std::string &basename, const std::string &ext) {
  std::string out;
  if (path) {
    out += *path + "/";
  }
  return out + basename + "." + ext;
}

std::optional<SourcemapReference>
guess_reference(const std::set<std::string> &sourcemaps,
                std::string_view source_url) {
  SplitUrl split = split_url(source_url);
  std::vector<std::string> exts{"map"};
  if (split.ext) {
    const std::string &ext = *split.ext;
    exts.push_back(ext + ".map");
    if (ext.starts_with("min.")) {
      exts.push_back(ext.substr(4) + ".map");
    }
    auto last_dot = ext.rfind('.');
    if (last_dot != std::string::npos) {
      exts.push_back(ext.substr(0, last_dot) + ".map");
    }
  }
  for (const auto &ext : exts) {
    std::string full = unsplit_url(split.path, split.basename, ext);
    if (sourcemaps.contains(full)) {
      return SourcemapReference{unsplit_url(std::nullopt, split.basename, ext),
                                full};
    }
  }
  return std::nullopt;
}

// sentry-cli's full_sourcemap_path: the JS file's parent joined with the
// location, not normalized.
std::string explicit_map_path(std::string_view source_url,
                              std::string_view location) {
  if (location.starts_with('/')) {
    return std::string(location);
  }
  auto slash = source_url.rfind('/');
  if (slash == std::string_view::npos) {
    return std::string(location);
  }
  std::string parent(source_url.substr(0, slash));
  if (parent.empty()) {
    parent = "/";
  }
  if (parent.back() != '/') {
    parent += '/';
  }
  return parent + std::string(location);
}

bool is_remote_url(std::string_view location) {
  if (location.empty() || !((location[0] >= 'a' && location[0] <= 'z') ||
                            (location[0] >= 'A' && location[0] <= 'Z'))) {
    return false;
  }
  std::size_t i = 1;
  while (i < location.size() &&
         (std::isalnum(static_cast<unsigned char>(location[i])) ||
          location[i] == '+' || location[i] == '-' || location[i] == '.')) {
    ++i;
  }
  if (i >= location.size() || location[i] != ':') {
    return false;
  }
  std::string scheme = util::ascii_lower(location.substr(0, i));
  if (scheme == "data") {
    return false;
  }
  static constexpr std::string_view k_special[] = {"http", "https", "ws", "wss",
                                                   "ftp"};
  if (std::ranges::find(k_special, scheme) != std::end(k_special)) {
    // Special URLs need a host, or they do not parse at all.
    std::string_view rest = location.substr(i + 1);
    while (!rest.empty() && is_separator(rest.front())) {
      rest.remove_prefix(1);
    }
    auto host_end = rest.find_first_of("/\\?#");
    std::string_view host = rest.substr(0, host_end);
    auto at = host.rfind('@');
    if (at != std::string_view::npos) {
      host = host.substr(at + 1);
    }
    auto colon = host.rfind(':');
    if (colon != std::string_view::npos &&
        host.find(']') == std::string_view::npos) {
      host = host.substr(0, colon);
    }
    return !host.empty();
  }
  return true;
}

} // namespace

std::optional<std::string_view> find_magic_comment(std::string_view text,
                                                   std::string_view name,
                                                   bool allow_at) {
  // The last `//# name=` (or `//@ name=`). Candidates are found by their
  // third byte, which is rare in JavaScript: a plain rfind compares at
  // every position of the (mostly comment-free) file.
  auto last_with_marker = [&](char marker) -> std::size_t {
    std::string needle =
        std::string("//") + marker + " " + std::string(name) + "=";
    std::size_t limit = text.size();
    while (limit > 2) {
      std::size_t at = util::find_last_byte(text, marker, 2, limit);
      if (at == std::string_view::npos) {
        break;
      }
      if (text.substr(at - 2).starts_with(needle)) {
        return at - 2;
      }
      limit = at;
    }
    return std::string_view::npos;
  };
  std::size_t found = last_with_marker('#');
  if (allow_at) {
    std::size_t at_form = last_with_marker('@');
    if (at_form != std::string_view::npos &&
        (found == std::string_view::npos || at_form > found)) {
      found = at_form;
    }
  }
  if (found == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view value = text.substr(found + 4 + name.size() + 1);
  std::size_t start = 0;
  while (start < value.size() && is_ascii_ws(value[start])) {
    ++start;
  }
  std::size_t end = start;
  while (end < value.size() && !is_ascii_ws(value[end])) {
    ++end;
  }
  return value.substr(start, end - start);
}

std::optional<std::string_view> find_sourcemap_location(std::string_view js) {
  auto value = find_magic_comment(js, "sourceMappingURL", true);
  if (!value) {
    return std::nullopt;
  }
  std::string_view url = *value;
  url = url.substr(0, url.find('?'));
  url = url.substr(0, url.find('#'));
  return url;
}

std::optional<sourcemap::DebugId> find_js_debug_id(std::string_view js) {
  auto value = find_magic_comment(js, "debugId", false);
  if (!value) {
    return std::nullopt;
  }
  return sourcemap::DebugId::parse(*value);
}

bool is_remote_sourcemap(std::string_view location) {
  if (is_remote_url(location)) {
    return true;
  }
  if (location.starts_with('/')) {
    std::error_code error;
    return !std::filesystem::exists(util::path_from_utf8(location), error);
  }
  return false;
}

std::string normalize_sourcemap_url(std::string_view source_url,
                                    std::string_view sourcemap_url) {
  std::string source = util::path_as_url(std::string(source_url));
  auto slash = source.rfind('/');
  std::string base = slash == std::string::npos ? "" : source.substr(0, slash);
  std::string joined = join_path(base, sourcemap_url);
  std::size_t cutoff = 0;
  while (std::string_view(joined).substr(cutoff).starts_with("./")) {
    cutoff += 2;
  }
  return util::path_as_url(joined.substr(0, cutoff) +
                           clean_path(std::string_view(joined).substr(cutoff)));
}

std::vector<std::string>
find_matching_paths(const std::vector<std::string> &candidates,
                    std::string_view expected) {
  auto segments = [](std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= path.size(); ++i) {
      if (i == path.size() || path[i] == '/') {
        std::string_view segment = path.substr(start, i - start);
        if (segment != ".") {
          out.push_back(segment);
        }
        start = i + 1;
      }
    }
    return out;
  };
  std::vector<std::string_view> want = segments(expected);
  std::vector<std::string> matches;
  for (const auto &candidate : candidates) {
    std::vector<std::string_view> have = segments(candidate);
    if (have == want) {
      return {candidate};
    }
    std::size_t i = 0;
    while (i < have.size() && i < want.size() && have[i] == want[i]) {
      ++i;
    }
    // Skip the one differing segment on both sides.
    std::size_t h = std::min(i + 1, have.size());
    std::size_t w = std::min(i + 1, want.size());
    if (h < have.size() &&
        std::equal(have.begin() + static_cast<std::ptrdiff_t>(h), have.end(),
                   want.begin() + static_cast<std::ptrdiff_t>(w), want.end())) {
      matches.push_back(candidate);
    }
  }
  return matches;
}

std::map<std::string, SourceReference>
collect_sourcemap_references(const std::vector<FileFacts> &files) {
  std::set<std::string> sourcemaps;
  for (const auto &file : files) {
    if (file.kind == FileKind::sourcemap) {
      sourcemaps.insert(file.url);
    }
  }
  std::map<std::string, SourceReference> result;
  std::map<std::string, std::string> explicit_maps;
  for (const auto &file : files) {
    if (file.kind == FileKind::source && file.location) {
      result[file.url].reference = SourcemapReference{*file.location, {}};
      explicit_maps.emplace(explicit_map_path(file.url, *file.location),
                            file.url);
    }
  }
  std::map<std::pair<std::string, std::string>, std::vector<std::string>>
      guessed;
  for (const auto &file : files) {
    if (file.kind != FileKind::source || file.location) {
      continue;
    }
    SourceReference &entry = result[file.url];
    auto guess = guess_reference(sourcemaps, file.url);
    if (!guess) {
      entry.warnings.push_back(
          "could not determine a source map reference (Could not "
          "auto-detect referenced sourcemap for " +
          file.url + ")");
      continue;
    }
    auto owner = explicit_maps.find(*guess->guessed_path);
    if (owner != explicit_maps.end()) {
      entry.warnings.push_back(
          "based on the file name, we guessed a source map reference (" +
          guess->url + "), which is already associated with source " +
          owner->second +
          ". Please explicitly set the sourcemap URL with a "
          "`//# sourceMappingURL=...` comment in the source file.");
      continue;
    }
    guessed[{guess->url, *guess->guessed_path}].push_back(file.url);
  }
  for (const auto &[key, sources] : guessed) {
    if (sources.size() == 1) {
      result[sources.front()].reference =
          SourcemapReference{key.first, key.second};
      continue;
    }
    for (const auto &source : sources) {
      result[source].warnings.push_back(
          "Could not associate this source with a source map. We guessed "
          "the sourcemap reference " +
          key.first +
          " for multiple sources, including this one. Please explicitly set "
          "the sourcemap URL with a `//# sourceMappingURL=...` comment in "
          "the source file, to make the association clear.");
    }
  }
  return result;
}

ResolvedReference
resolve_external_reference(std::string_view source_url,
                           std::string_view reference,
                           const std::vector<std::string> &sourcemap_urls) {
  std::string normalized = normalize_sourcemap_url(source_url, reference);
  std::vector<std::string> matches =
      find_matching_paths(sourcemap_urls, normalized);
  if (matches.size() == 1) {
    return ResolvedReference{matches.front(), {}};
  }
  ResolvedReference resolved{normalized, {}};
  if (matches.size() > 1) {
    resolved.ambiguous = std::move(matches);
  }
  return resolved;
}

} // namespace uploader::discovery
