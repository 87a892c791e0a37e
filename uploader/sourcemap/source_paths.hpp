#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace uploader::sourcemap {

// Where a map's sources are seen from. Both folders are absolute and
// normal (callers pass canonical paths, so a symlinked build folder and a
// bundler that wrote real paths still agree).
struct SourcePathContext {
  std::filesystem::path map_folder;  // the folder of the map file
  std::filesystem::path source_root; // the project's source root
};

// A `sources` entry as the uploaded map names it, and the file on disk that
// may hold its text.
struct SourcePlace {
  std::string name;
  std::optional<std::filesystem::path> file;
};

// `source_root` (the map's `sourceRoot` field) joined with `source`, as the
// source map specification resolves them: nothing to join when the root is
// empty, a `/` between them unless the root ends with one.
std::string join_source_root(std::string_view source_root,
                             std::string_view source);

// How Sentry should name `source` (already joined with the map's
// sourceRoot): relative to the source root, the way the project's tree reads.
//  - `http://` and `https://` URLs stay as they are (no local file);
//  - `file://` URLs become their local path, then count as absolute paths;
//  - any other `scheme://authority/path` (webpack://app/./src/x.js,
//    vite://, turbopack://[project]/...) becomes its normalised path, read
//    from disk relative to the source root (where webpack's context is);
//  - an absolute path becomes relative to the source root;
//  - a relative path is resolved against the map's folder (where bundlers
//    mean it), then treated as absolute.
// A path outside the root keeps its normalised form without leading `../`
// (a monorepo's `node_modules/react/index.js`). `""` stays `""`.
SourcePlace place_source(std::string_view source,
                         const SourcePathContext &context);

} // namespace uploader::sourcemap
