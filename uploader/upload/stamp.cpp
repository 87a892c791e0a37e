#include "uploader/upload/stamp.hpp"

#include "uploader/discovery/walk.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/hash.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/strings.hpp"

#include <algorithm>

namespace uploader::upload {

namespace fs = std::filesystem;

namespace {

// The stamp's lines that record a deployed folder: the prefix, the
// folder_fingerprint, a tab, the folder's real path.
constexpr std::string_view k_folder_line = "folder ";

std::string folder_key(const fs::path &folder) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(folder, ec);
  return util::path_to_utf8(ec ? folder : real);
}

} // namespace

std::string upload_fingerprint(const PlanOptions &options,
                               const std::string &target) {
  discovery::WalkOptions walk_options;
  walk_options.roots = options.roots;
  walk_options.extensions = options.extensions;
  walk_options.ignores = options.ignores;
  walk_options.ignore_file_lines = options.ignore_file_lines;
  util::Sha1 hasher;
  hasher.update(target);
  // The options that shape the plan besides the files the walk finds
  // (extensions and ignores only change which files those are).
  hasher.update(options.sourcemap_headers ? "refs\n" : "no refs\n");
  hasher.update(options.debug_id_reference ? "id refs\n" : "no id refs\n");
  for (const auto &file : discovery::walk(walk_options)) {
    std::string identity = util::file_identity(file.path);
    if (identity != "absent") {
      hasher.update(file.url + '\n' + identity + '\n');
    }
  }
  return util::to_hex(hasher.finish());
}

bool stamp_matches(const fs::path &stamp, const std::string &fingerprint) {
  std::error_code ec;
  if (!fs::is_regular_file(stamp, ec)) {
    return false;
  }
  // The fingerprint line, then one "identity<TAB>path" line per source file
  // the upload read (or looked for) outside the folder.
  auto lines = util::split_lines(util::read_file(stamp));
  if (lines.empty() || lines.front() != fingerprint) {
    return false;
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i].starts_with(k_folder_line)) {
      continue;
    }
    auto tab = lines[i].find('\t');
    if (tab == std::string::npos ||
        util::file_identity(util::path_from_utf8(lines[i].substr(tab + 1))) !=
            lines[i].substr(0, tab)) {
      return false;
    }
  }
  return true;
}

void write_stamp(const fs::path &stamp, const std::string &fingerprint,
                 const bundle::SourcesRead &sources_read,
                 const std::vector<fs::path> &folders) {
  if (stamp.has_parent_path()) {
    fs::create_directories(stamp.parent_path());
  }
  std::string text = fingerprint + "\n";
  for (const auto &[path, identity] : sources_read) {
    if (path.find('\n') == std::string::npos) {
      text += identity + '\t' + path + '\n';
    }
  }
  for (const auto &folder : folders) {
    std::error_code ec;
    if (fs::is_directory(folder, ec)) {
      text += std::string(k_folder_line) + folder_fingerprint(folder) + '\t' +
              folder_key(folder) + '\n';
    }
  }
  util::write_file_atomic(stamp, text);
}

std::string folder_fingerprint(const fs::path &folder) {
  util::Sha1 hasher;
  for (const auto &file : util::files_below(folder)) {
    hasher.update(file + '\n' +
                  util::file_identity(folder / util::path_from_utf8(file)) +
                  '\n');
  }
  return util::to_hex(hasher.finish());
}

bool stamp_confirms_folder(const fs::path &stamp, const fs::path &folder) {
  std::error_code ec;
  if (!fs::is_regular_file(stamp, ec) || !fs::is_directory(folder, ec)) {
    return false;
  }
  std::string wanted = std::string(k_folder_line) + folder_fingerprint(folder) +
                       '\t' + folder_key(folder);
  auto lines = util::split_lines(util::read_file(stamp));
  return std::ranges::find(lines, wanted) != lines.end();
}

} // namespace uploader::upload
