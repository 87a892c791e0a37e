#include "uploader/upload/install_tree.hpp"

#include "uploader/discovery/references.hpp"
#include "uploader/discovery/walk.hpp"
#include "uploader/upload/cleanup.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/utf8.hpp"
#include "uploader/wasm/module.hpp"

#include <algorithm>
#include <set>

namespace uploader::upload {

namespace fs = std::filesystem;

namespace {

bool is_script(const std::string &path) {
  return std::ranges::any_of(discovery::k_inject_extensions,
                             [&](const std::string &extension) {
                               return path.ends_with("." + extension);
                             });
}

bool is_stylesheet(const std::string &path) { return path.ends_with(".css"); }

// The folder-relative file a script's map comment names, when it is local.
std::optional<std::string> named_map(const std::string &script,
                                     std::string_view text) {
  if (!util::is_valid_utf8(text)) {
    return std::nullopt;
  }
  auto location = discovery::find_sourcemap_location(text);
  if (!location || location->starts_with("data:") ||
      discovery::is_remote_sourcemap(*location) || location->starts_with("/")) {
    return std::nullopt;
  }
  std::string joined = discovery::normalize_sourcemap_url(script, *location);
  while (joined.starts_with("./")) {
    joined.erase(0, 2);
  }
  return joined;
}

// A stylesheet's last `/*# sourceMappingURL=... */` comment removed.
std::string without_css_map_comment(std::string text) {
  size_t at = std::string::npos;
  for (std::string_view marker :
       {"/*# sourceMappingURL=", "/*@ sourceMappingURL="}) {
    size_t found = text.rfind(marker);
    if (found != std::string::npos && (at == std::string::npos || found > at)) {
      at = found;
    }
  }
  if (at != std::string::npos) {
    size_t end = text.find("*/", at);
    text.erase(at, end == std::string::npos ? std::string::npos : end + 2 - at);
  }
  return text;
}

std::string deployable_module(const std::string &bytes, bool &stripped) {
  std::vector<wasm::Section> sections;
  try {
    sections = wasm::read_sections(bytes);
  } catch (const wasm::FormatError &) {
    return bytes; // not a module: nothing to take out of it
  }
  std::string lean =
      wasm::without_sections(bytes, sections, [](const wasm::Section &section) {
        return wasm::is_dwarf_section(section.name) ||
               wasm::is_link_section(section.name);
      });
  stripped = lean.size() != bytes.size();
  return lean;
}

// The files of `files` (all of `folder`'s) that are source maps: every
// `*.map`, and every file a script's sourceMappingURL comment names.
std::set<std::string> maps_among(const fs::path &folder,
                                 const std::vector<std::string> &files) {
  std::set<std::string> present(files.begin(), files.end());
  std::set<std::string> maps;
  for (const auto &file : files) {
    if (file.ends_with(".map")) {
      maps.insert(file);
    } else if (is_script(file)) {
      auto named =
          named_map(file, util::read_file(folder / util::path_from_utf8(file)));
      if (named && present.contains(*named)) {
        maps.insert(*named);
      }
    }
  }
  return maps;
}

} // namespace

void check_bundle_folder(const fs::path &folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    throw Error("the bundle folder " + util::path_to_utf8(folder) +
                " does not exist: build the bundle target first");
  }
}

std::string without_map_comments(std::string_view text, bool stylesheet) {
  return stylesheet ? without_css_map_comment(std::string(text))
                    : without_source_mapping_url(text);
}

InstallResult install_tree(const fs::path &folder, const fs::path &destination,
                           bool mirror) {
  check_bundle_folder(folder);
  std::vector<std::string> files = util::files_below(folder);
  std::set<std::string> left_out = maps_among(folder, files);
  InstallResult result;
  result.maps_left_out.assign(left_out.begin(), left_out.end());
  std::error_code ec;
  for (const auto &file : files) {
    fs::path target = destination / util::path_from_utf8(file);
    if (left_out.contains(file)) {
      if (fs::remove(target, ec)) {
        result.stale_maps_removed.push_back(file);
      }
      continue;
    }
    fs::path source = folder / util::path_from_utf8(file);
    std::string bytes = util::read_file(source);
    std::string deployed = bytes;
    if (is_script(file) || is_stylesheet(file)) {
      deployed = without_map_comments(bytes, is_stylesheet(file));
      if (deployed != bytes) {
        result.comments_removed.push_back(file);
      }
    } else if (file.ends_with(".wasm")) {
      bool stripped = false;
      deployed = deployable_module(bytes, stripped);
      if (stripped) {
        result.modules_stripped.push_back(file);
      }
    }
    result.installed.push_back(target);
    if (fs::is_regular_file(target, ec) &&
        util::read_file(target) == deployed) {
      result.up_to_date.push_back(file);
      continue;
    }
    fs::create_directories(target.parent_path());
    util::write_file_atomic(target, deployed);
    fs::permissions(target, fs::status(source).permissions(), ec);
    result.written.push_back(file);
  }
  if (mirror && fs::is_directory(destination, ec)) {
    std::set<fs::path> keep(result.installed.begin(), result.installed.end());
    for (const auto &file : util::files_below(destination)) {
      fs::path path = destination / util::path_from_utf8(file);
      if (!keep.contains(path) && fs::remove(path, ec)) {
        result.removed.push_back(file);
      }
    }
  }
  return result;
}

} // namespace uploader::upload
