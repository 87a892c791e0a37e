#pragma once

#include <map>
#include <string>
#include <string_view>

namespace uploader::config {

// Parses `.sentryclirc` / `sentrycli.ini` text into "section.key" → value
// (e.g. "auth.token", "defaults.org"). `#` and `;` start comment lines;
// values are trimmed; keys before any section go to "default.<key>".
std::map<std::string, std::string, std::less<>>
parse_ini(std::string_view text);

} // namespace uploader::config
