#include "uploader/upload/stamp.hpp"

#include "uploader/discovery/walk.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/hash.hpp"

#include <sys/stat.h>

namespace uploader::upload {

namespace fs = std::filesystem;

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
    struct stat info {};
    if (::stat(file.path.c_str(), &info) != 0) {
      continue;
    }
    hasher.update(file.url + '\n' + std::to_string(info.st_size) + ' ' +
                  std::to_string(info.st_mtim.tv_sec) + '.' +
                  std::to_string(info.st_mtim.tv_nsec) + ' ' +
                  std::to_string(info.st_ino) + '\n');
  }
  return util::to_hex(hasher.finish());
}

bool stamp_matches(const fs::path &stamp, const std::string &fingerprint) {
  std::error_code ec;
  if (!fs::is_regular_file(stamp, ec)) {
    return false;
  }
  return util::read_file(stamp) == fingerprint + "\n";
}

void write_stamp(const fs::path &stamp, const std::string &fingerprint) {
  if (stamp.has_parent_path()) {
    fs::create_directories(stamp.parent_path());
  }
  util::write_file_atomic(stamp, fingerprint + "\n");
}

} // namespace uploader::upload
