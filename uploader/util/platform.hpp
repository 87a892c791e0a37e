#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

// Small operating-system services whose calls differ between Linux (glibc),
// macOS and Windows. Everything platform-specific lives in util/; this file
// holds the pieces that have no better home there.
namespace uploader::util {

// Tunes the allocator for few threads and buffers of megabytes (glibc's
// arenas and mmap threshold); does nothing where that does not apply.
void tune_allocator();

// The command line's arguments (without the program) as UTF-8: on Windows
// read again as UTF-16 from the system, whatever code page `argv` was
// made in; elsewhere `argv` itself. Also makes a Windows console show the
// UTF-8 this program writes.
std::vector<std::string> utf8_arguments(int argc, char **argv);

// Whether standard error is a terminal (progress lines, colours).
bool stderr_is_terminal();

// The offset of the last `byte` in text[from, to), or npos.
std::size_t find_last_byte(std::string_view text, char byte, std::size_t from,
                           std::size_t to);

// A path written with '/' separators, as sentry-cli's path_as_url does: on
// Windows '\\' separates too and becomes '/'; elsewhere it is a filename
// character and stays.
std::string path_as_url(std::string path);

// A path from UTF-8 text (what the program holds inside) and back. On
// Windows, libstdc++'s path(std::string) reads the bytes in the C
// library's code page, not as UTF-8, so a path made from text (an argument,
// a journal line, a name in a map) comes through here.
std::filesystem::path path_from_utf8(std::string_view text);
std::string path_to_utf8(const std::filesystem::path &path);

// Creates a new private folder under the system's temporary folder whose
// name starts with `prefix`; throws uploader::Error when it cannot.
std::filesystem::path make_temp_folder(std::string_view prefix);

} // namespace uploader::util
