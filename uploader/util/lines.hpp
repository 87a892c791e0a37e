#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace uploader::util {

// The lines of a text file: split at '\n', a '\r' before it dropped, and no
// empty last line for the file's final newline.
std::vector<std::string> split_lines(std::string_view text);

} // namespace uploader::util
