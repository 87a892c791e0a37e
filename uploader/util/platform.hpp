#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

// Small operating-system services whose calls differ between Linux (glibc),
// macOS and Windows. Everything platform-specific lives in util/; this file
// holds the pieces that have no better home there.
namespace uploader::util {

// Tunes the allocator for few threads and buffers of megabytes (glibc's
// arenas and mmap threshold); does nothing where that does not apply.
void tune_allocator();

// Whether standard error is a terminal (progress lines, colours).
bool stderr_is_terminal();

// The offset of the last `byte` in text[from, to), or npos.
std::size_t find_last_byte(std::string_view text, char byte, std::size_t from,
                           std::size_t to);

// A path written with '/' separators, as sentry-cli's path_as_url does: on
// Windows '\\' separates too and becomes '/'; elsewhere it is a filename
// character and stays.
std::string path_as_url(std::string path);

// Creates a new private folder under the system's temporary folder whose
// name starts with `prefix`; throws uploader::Error when it cannot.
std::filesystem::path make_temp_folder(std::string_view prefix);

} // namespace uploader::util
