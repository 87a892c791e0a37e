#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uploader::config {

// Parses dotenv text the way the `dotenv` package (used by the Vite plugin
// for `.env.sentry-build-plugin`) reads it: `KEY=value` lines, an optional
// `export ` prefix, `#` comments, single, double and backtick quotes (quoted
// values may span lines; double quotes expand `\n` and `\r`), and unquoted
// values trimmed and cut at ` #`. Lines that are not assignments are ignored,
// as dotenv does. Later assignments of a key win.
std::vector<std::pair<std::string, std::string>>
parse_dotenv(std::string_view text);

} // namespace uploader::config
