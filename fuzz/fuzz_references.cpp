// The sourceMappingURL / debugId scanner and the reference resolution that
// runs on every JS file of a build.
#include "uploader/discovery/references.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace discovery = uploader::discovery;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  discovery::find_magic_comment(text, "sourceMappingURL", true);
  discovery::find_js_debug_id(text);
  auto location = discovery::find_sourcemap_location(text);
  if (!location) {
    return 0;
  }
  discovery::is_remote_sourcemap(*location);
  std::string joined =
      discovery::normalize_sourcemap_url("assets/app.js", *location);
  discovery::find_matching_paths({joined, "assets/app.js.map", "app.js.map"},
                                 *location);
  discovery::resolve_external_reference("./assets/app.js", *location,
                                        {"./assets/app.js.map", joined});
  std::vector<discovery::FileFacts> files{
      {"./assets/app.js", discovery::FileKind::source, std::string(*location)},
      {"./assets/app.min.js", discovery::FileKind::source, std::nullopt},
      {"./" + joined, discovery::FileKind::sourcemap, std::nullopt},
      {"./assets/app.js.map", discovery::FileKind::sourcemap, std::nullopt}};
  discovery::collect_sourcemap_references(files);
  return 0;
}
