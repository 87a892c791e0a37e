#pragma once

#include "uploader/discovery/walk.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::discovery {

// One walked file, classified as sentry-cli classifies it (a source map by
// its content, anything else a minified source) and, for a JS file, paired
// with the map it refers to.
struct PairedFile {
  DiscoveredFile file;
  bool is_map = false;
  // The debug id the file itself carries (JS: `//# debugId=`; map:
  // `debug_id`, else `debugId`), normalised.
  std::optional<std::string> debug_id;
  // JS: the map reference sentry-cli would record (the sourceMappingURL as
  // written, or the guessed `<name>.map`), when there is one.
  std::optional<std::string> map_reference;
  // JS: index in Pairing::files of the map on disk that reference resolved
  // to; nullopt when there is none among the walked files.
  std::optional<std::size_t> map;
  // JS: the reference is a sourceMappingURL comment, not a guess.
  bool explicit_reference = false;
};

struct Pairing {
  std::vector<PairedFile> files; // in walk order
  std::vector<std::string> warnings;
};

// Walks `options` (see walk()), reads each file once, skips non-UTF-8
// files with a warning and pairs JS files with their maps. Throws
// uploader::Error naming a `.map` file that is not a source map.
Pairing pair_files(const WalkOptions &options);

// The debug id a map declares: `debug_id`, else `debugId` (symbolic's
// preference, which the server uses), normalised; nullopt if none.
std::optional<std::string> read_map_debug_id(std::string_view map_text);

} // namespace uploader::discovery
