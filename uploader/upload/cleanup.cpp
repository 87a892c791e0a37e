#include "uploader/upload/cleanup.hpp"

#include "uploader/discovery/glob.hpp"
#include "uploader/discovery/references.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/platform.hpp"

#include <algorithm>
#include <set>

namespace uploader::upload {

namespace fs = std::filesystem;

namespace {

bool inside(const fs::path &real, const fs::path &real_root) {
  auto [root_end, ignored] = std::mismatch(real_root.begin(), real_root.end(),
                                           real.begin(), real.end());
  return root_end == real_root.end();
}

// A file may be deleted only if it is a regular file (not a link) whose
// real location is inside the real root folder.
bool deletable(const fs::path &path, const fs::path &root,
               std::vector<std::string> &warnings) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(path, ec))) {
    warnings.push_back("not deleting " + path.string() +
                       ": it is a symlink or not a regular file");
    return false;
  }
  fs::path real = fs::canonical(path, ec);
  fs::path real_root = fs::canonical(root, ec);
  if (ec ||
      !inside(real, fs::is_directory(real_root) ? real_root
                                                : real_root.parent_path())) {
    warnings.push_back("not deleting " + path.string() + ": it is outside " +
                       root.string());
    return false;
  }
  return true;
}

void check_glob(const std::string &glob) {
  if (glob.empty() || glob.front() == '/' ||
      glob.find("..") != std::string::npos) {
    throw ConfigError("delete glob '" + glob +
                      "' must be relative to the uploaded folder and must "
                      "not contain '..'; e.g. '**/*.map'");
  }
}

} // namespace

std::vector<fs::path> maps_to_delete(const UploadPlan &plan,
                                     const std::vector<std::string> &globs,
                                     const std::vector<std::string> &roots,
                                     std::vector<std::string> &warnings) {
  std::vector<fs::path> result;
  if (globs.empty()) {
    for (const auto &map : plan.maps) {
      if (deletable(map.path, map.root, warnings)) {
        result.push_back(map.path);
      }
    }
    return result;
  }
  for (const auto &glob : globs) {
    check_glob(glob);
  }
  for (const auto &root_text : roots) {
    fs::path root = util::path_from_utf8(root_text);
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
      continue;
    }
    // Walk without following links: a link to elsewhere is never entered.
    for (auto it = fs::recursive_directory_iterator(root, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        break;
      }
      std::string relative =
          it->path().lexically_relative(root).generic_string();
      bool matched = std::ranges::any_of(globs, [&](const std::string &glob) {
        return discovery::glob_match(glob, relative);
      });
      if (matched && !it->is_directory() &&
          deletable(it->path(), root, warnings)) {
        result.push_back(it->path());
      }
    }
  }
  std::ranges::sort(result);
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

std::string without_source_mapping_url(std::string_view js) {
  auto value = discovery::find_magic_comment(js, "sourceMappingURL", true);
  if (!value) {
    return std::string(js);
  }
  size_t at = static_cast<size_t>(value->data() - js.data());
  size_t comment = js.rfind("//", at);
  size_t line_start = js.rfind('\n', comment);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  size_t line_end = js.find('\n', at);
  bool alone =
      js.substr(line_start, comment - line_start).find_first_not_of(" \t") ==
      std::string_view::npos;
  size_t cut_start = alone ? line_start : comment;
  size_t cut_end = line_end == std::string_view::npos
                       ? js.size()
                       : (alone ? line_end + 1 : line_end);
  std::string out(js.substr(0, cut_start));
  out += js.substr(cut_end);
  return out;
}

std::vector<fs::path>
strip_source_mapping_urls(const std::vector<MapLink> &links,
                          const std::vector<fs::path> &deleted) {
  std::set<fs::path> gone(deleted.begin(), deleted.end());
  std::vector<fs::path> changed;
  for (const auto &link : links) {
    if (!link.explicit_reference || !gone.contains(link.map)) {
      continue;
    }
    std::string js = util::read_file(link.js);
    std::string stripped = without_source_mapping_url(js);
    if (stripped != js) {
      util::write_file_atomic(link.js, stripped);
      changed.push_back(link.js);
    }
  }
  return changed;
}

CleanupResult delete_maps(const UploadPlan &plan,
                          const std::vector<fs::path> &maps,
                          bool strip_comments) {
  CleanupResult result;
  for (const auto &map : maps) {
    std::error_code ec;
    if (fs::remove(map, ec)) {
      result.deleted.push_back(map);
    } else if (ec) {
      result.warnings.push_back("cannot delete " + map.string() + ": " +
                                ec.message());
    }
  }
  if (strip_comments) {
    result.stripped = strip_source_mapping_urls(plan.links, result.deleted);
  }
  return result;
}

} // namespace uploader::upload
