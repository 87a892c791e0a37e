#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace uploader::sourcemap {

// Returns `map_text` re-serialised with, in each `sources` entry, the first
// of `prefixes` it starts with removed (a `/` is appended to a prefix that
// lacks one), as `sentry-cli sourcemaps upload --strip-prefix` does.
// Index maps have their sections rewritten the same way. Throws JsonError
// (with the byte offset) on a malformed map.
std::string strip_source_prefixes(std::string_view map_text,
                                  const std::vector<std::string> &prefixes);

} // namespace uploader::sourcemap
