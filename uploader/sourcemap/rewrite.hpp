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

// The prefixes `--strip-prefix` removes from `sources`, in the order they
// are tried: each of `prefixes` with a `/` appended when it lacks one, and
// for `~` (`--strip-common-prefix`) the common_source_prefix() of `sources`,
// tried after the others.
std::vector<std::string>
effective_strip_prefixes(const std::vector<std::string> &prefixes,
                         const std::vector<std::string> &sources);

// `source` without the first of `prefixes` (from effective_strip_prefixes)
// it starts with, as `sentry-cli sourcemaps upload --strip-prefix` does;
// nullopt when none matches.
std::optional<std::string>
strip_first_prefix(std::string_view source,
                   const std::vector<std::string> &prefixes);

} // namespace uploader::sourcemap
