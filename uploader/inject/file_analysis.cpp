#include "uploader/inject/file_analysis.hpp"

#include "uploader/sourcemap/source_map.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/utf8.hpp"

#include <string>
#include <string_view>

namespace uploader::inject {

namespace {

bool is_hermes_bytecode(std::string_view contents) {
  static constexpr std::string_view k_magic =
      "\xc6\x1f\xbc\x03\xc1\x03\x19\x1f";
  return contents.starts_with(k_magic);
}

bool is_ram_bundle(const std::string &name, std::string_view contents) {
  static constexpr std::string_view k_magic = "\xe5\xd1\x0b\xfb";
  return name.ends_with("bundle") && contents.starts_with(k_magic);
}

} // namespace

void analyse(discovery::DiscoveredFile &file, FileInfo &info,
             discovery::FileFacts &fact, bool presume_maps) {
  fact.url = file.url;
  std::string name = file.path.filename().string();
  if (presume_maps && name.ends_with(".map")) {
    info.kind = fact.kind = discovery::FileKind::sourcemap;
    info.presumed_map = true;
    info.file = std::move(file);
    return;
  }
  std::string contents = util::read_file(file.path);
  if (sourcemap::is_sourcemap(contents)) {
    info.kind = fact.kind = discovery::FileKind::sourcemap;
  } else if (is_ram_bundle(name, contents) || is_hermes_bytecode(contents)) {
    info.skipped_type = true;
  } else if (util::is_valid_utf8(contents)) {
    info.debug_id = discovery::find_js_debug_id(contents);
    if (auto location = discovery::find_sourcemap_location(contents)) {
      if (!discovery::is_remote_sourcemap(*location)) {
        fact.location = std::string(*location);
      }
    }
  }
  info.file = std::move(file);
}

} // namespace uploader::inject
