#pragma once

#include "uploader/sourcemap/source_paths.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::sourcemap {

// Reads the text of a source file for a missing `sourcesContent` entry;
// nullopt when it must not or cannot be read (the reader says why).
using SourceTextReader =
    std::function<std::optional<std::string>(const std::filesystem::path &)>;

struct UploadRewriteOptions {
  SourcePathContext paths;
  // Name sources relative to the source root (place_source); false keeps
  // them as built, as sentry-cli does.
  bool rewrite_paths = true;
  // sentry-cli's --strip-prefix values (`~`: --strip-common-prefix); a
  // source they shorten keeps that name.
  std::vector<std::string> strip_prefixes;
  // Fills missing `sourcesContent`; empty: no inlining.
  SourceTextReader read_source;
};

// The map as it should reach Sentry, or nullopt when its bytes already are
// that (no source to rename or inline, not an index map, no byte-order
// mark), so the caller sends the file as it is without re-serialising it.
// A regular map is edited in place: only `sources`, `sourceRoot` (folded
// into the sources) and `sourcesContent` change; every other member
// (mappings, names, debug id, fields we do not know) is copied byte for
// byte. An index map is flattened (flatten_index_map) and written anew.
// Throws JsonError (with the byte offset) on a malformed map and Error on an
// index map that cannot be flattened.
std::optional<std::string>
rewrite_map_for_upload(std::string_view text,
                       const UploadRewriteOptions &options);

} // namespace uploader::sourcemap
