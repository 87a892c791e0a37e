#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::sourcemap {

// The prefix `--strip-common-prefix` strips, as rust-sourcemap finds it: the
// leading path components (`/x`, also after a backslash) that every absolute
// source (`/...`, `C:/...`, `C:\...`) shares; nothing if that is empty or
// just `/`.
std::optional<std::string>
common_source_prefix(const std::vector<std::string> &sources);

// Returns `map_text` re-serialised with, in each `sources` entry, the first
// of `prefixes` it starts with removed (a `/` is appended to a prefix that
// lacks one), as `sentry-cli sourcemaps upload --strip-prefix` does. A
// prefix `~` stands for common_source_prefix() of the map's sources, tried
// after the others (`--strip-common-prefix`). Index maps have their
// sections rewritten the same way. Throws JsonError (with the byte offset)
// on a malformed map.
std::string strip_source_prefixes(std::string_view map_text,
                                  const std::vector<std::string> &prefixes);

} // namespace uploader::sourcemap
