#pragma once

#include "uploader/discovery/references.hpp"
#include "uploader/discovery/walk.hpp"
#include "uploader/sourcemap/debug_id.hpp"

#include <optional>

namespace uploader::inject {

// What inject learns about one walked file before preparing any change.
struct FileInfo {
  discovery::DiscoveredFile file;
  discovery::FileKind kind = discovery::FileKind::source;
  bool skipped_type = false; // RAM bundle, Hermes bytecode
  std::optional<sourcemap::DebugId> debug_id;
  // Taken for a source map by its name, unread: the parse that inject does
  // anyway (or a sniff at the end, if nothing references it) must confirm.
  bool presumed_map = false;
};

// Classifies `file` (moved into `info`) and fills `fact` for the reference
// scan: source map, skipped binary (RAM bundle, Hermes bytecode) or
// JavaScript with its debug id and sourceMappingURL. With `presume_maps`, a
// `.map` file is taken for a source map unread (the usual case; the parse
// that inject does anyway confirms it), which spares reading and scanning
// every map twice.
void analyse(discovery::DiscoveredFile &file, FileInfo &info,
             discovery::FileFacts &fact, bool presume_maps);

} // namespace uploader::inject
