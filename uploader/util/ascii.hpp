#pragma once

#include <string>
#include <string_view>

namespace uploader::util {

// `text` with ASCII letters lowercased (header names, URL schemes, month
// names: protocol text, never user prose).
std::string ascii_lower(std::string_view text);

} // namespace uploader::util
