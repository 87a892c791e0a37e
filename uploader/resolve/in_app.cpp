#include "uploader/resolve/in_app.hpp"

#include "uploader/util/strings.hpp"

#include <cctype>
#include <vector>

namespace uploader::resolve {

namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// `node_modules/` not preceded by a letter, digit or `_` (a regex's `\b`).
bool has_node_modules_word(std::string_view filename) {
  constexpr std::string_view k_dir = "node_modules/";
  for (size_t at = filename.find(k_dir); at != std::string_view::npos;
       at = filename.find(k_dir, at + 1)) {
    if (at == 0 || !is_word_char(filename[at - 1])) {
      return true;
    }
  }
  return false;
}

// `scheme://host` of a URL (`app://` for `app:///x.js`), or "" without one.
std::string_view origin_of(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return {};
  }
  size_t path = url.find('/', scheme + 3);
  return path == std::string_view::npos ? url : url.substr(0, path);
}

// `webpack://namespace/./rest`: webpack's per-project namespace form.
std::optional<std::string_view> after_webpack_namespace(std::string_view url) {
  constexpr std::string_view k_scheme = "webpack://";
  if (!url.starts_with(k_scheme)) {
    return std::nullopt;
  }
  std::string_view rest = url.substr(k_scheme.size());
  size_t end = rest.find_first_not_of(
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-@.");
  if (end == 0 || end == std::string_view::npos ||
      !rest.substr(end).starts_with("/./")) {
    return std::nullopt;
  }
  return rest.substr(end + 3);
}

} // namespace

std::optional<bool> in_app_by_path(std::string_view abs_path,
                                   std::string_view filename) {
  if (abs_path.starts_with("webpack:")) {
    return filename.starts_with("./") &&
           filename.find("/node_modules/") == std::string_view::npos;
  }
  if (abs_path.starts_with("app:")) {
    return !has_node_modules_word(filename);
  }
  if (abs_path.find("/node_modules/") != std::string_view::npos) {
    return false;
  }
  return std::nullopt;
}

std::string sentry_filename(std::string_view source) {
  if (!source.starts_with("webpack:")) {
    return std::string(source);
  }
  if (size_t home = source.find("/~/"); home != std::string_view::npos) {
    return "~/" + std::string(source.substr(home + 3));
  }
  if (auto rest = after_webpack_namespace(source)) {
    return "./" + std::string(*rest);
  }
  if (source.starts_with("webpack:///")) {
    return std::string(source.substr(11));
  }
  return std::string(source);
}

std::string sentry_abs_path(std::string_view map_url, std::string_view source) {
  if (source.find("://") != std::string_view::npos ||
      source.starts_with("webpack:")) {
    return std::string(source);
  }
  std::string_view origin = origin_of(map_url);
  std::string_view map_path = map_url.substr(origin.size());
  // `~/` is Sentry's "any host": a path from the root.
  if (map_path.starts_with('~')) {
    map_path.remove_prefix(1);
  }
  if (source.starts_with('~')) {
    source.remove_prefix(1);
  }
  if (source.starts_with('/')) {
    return std::string(origin) + std::string(source);
  }
  std::vector<std::string> segments;
  std::string_view folder = map_path.substr(0, map_path.rfind('/') + 1);
  for (auto list : {folder, source}) {
    for (std::string_view segment : util::split(list, '/')) {
      if (segment == "..") {
        if (!segments.empty()) {
          segments.pop_back();
        }
      } else if (!segment.empty() && segment != ".") {
        segments.emplace_back(segment);
      }
    }
  }
  return std::string(origin) + "/" + util::join(segments, "/");
}

std::string map_url_for_frame(std::string_view frame_abs_path,
                              std::string_view map_url) {
  std::string_view origin = origin_of(frame_abs_path);
  if (!map_url.starts_with("~/") || origin.empty()) {
    return std::string(map_url);
  }
  return std::string(origin) + std::string(map_url.substr(1));
}

std::optional<bool> symbolicated_in_app(std::string_view frame_abs_path,
                                        std::string_view map_url,
                                        std::string_view source,
                                        std::optional<bool> sdk_in_app) {
  std::string abs_path =
      sentry_abs_path(map_url_for_frame(frame_abs_path, map_url), source);
  if (auto decided = in_app_by_path(abs_path, sentry_filename(source))) {
    return decided;
  }
  return sdk_in_app;
}

} // namespace uploader::resolve
