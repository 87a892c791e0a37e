#include "uploader/util/platform.hpp"

#include "uploader/util/error.hpp"

#include <algorithm>
#include <string>

#if defined(_WIN32)
#include "uploader/util/windows_text.hpp"

#include <io.h>
#include <random>
#include <shellapi.h>
#else
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace uploader::util {

namespace fs = std::filesystem;

void tune_allocator() {
#if defined(__GLIBC__)
  // Worker threads each get a malloc arena by default and keep its freed
  // memory; two arenas are plenty for our few threads and keep peak RSS
  // bound to the largest files in flight.
  mallopt(M_ARENA_MAX, 2);
  // Files are read into, and maps written from, buffers of megabytes. By
  // default each is a fresh mmap that is faulted in page by page and
  // unmapped when freed; keeping freed memory in the heap lets the next file
  // reuse pages that are already mapped. The heap still only grows to the
  // largest set of buffers in use at once.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

std::vector<std::string> utf8_arguments(int argc, char **argv) {
#if defined(_WIN32)
  ::SetConsoleOutputCP(CP_UTF8);
  int count = 0;
  if (wchar_t **wide = ::CommandLineToArgvW(::GetCommandLineW(), &count)) {
    std::vector<std::string> args;
    for (int i = 1; i < count; ++i) {
      args.push_back(narrow(wide[i]));
    }
    ::LocalFree(wide);
    return args;
  }
#endif
  return std::vector<std::string>(argv + std::min(argc, 1), argv + argc);
}

bool stderr_is_terminal() {
#if defined(_WIN32)
  return ::_isatty(2) != 0;
#else
  return ::isatty(STDERR_FILENO) == 1;
#endif
}

std::string path_as_url(std::string path) {
#if defined(_WIN32)
  std::ranges::replace(path, '\\', '/');
#endif
  return path;
}

std::filesystem::path path_from_utf8(std::string_view text) {
#if defined(_WIN32)
  return std::filesystem::path(widen(text));
#else
  return std::filesystem::path(text);
#endif
}

std::string path_to_utf8(const std::filesystem::path &path) {
#if defined(_WIN32)
  return narrow(path.native());
#else
  return path.string();
#endif
}

std::size_t find_last_byte(std::string_view text, char byte, std::size_t from,
                           std::size_t to) {
  if (to > text.size()) {
    to = text.size();
  }
  if (from >= to) {
    return std::string_view::npos;
  }
#if defined(__GLIBC__)
  // One vectorised scan (the portable loop below compares byte by byte).
  const void *hit = ::memrchr(text.data() + from, byte, to - from);
  return hit == nullptr ? std::string_view::npos
                        : static_cast<std::size_t>(
                              static_cast<const char *>(hit) - text.data());
#else
  for (std::size_t at = to; at-- > from;) {
    if (text[at] == byte) {
      return at;
    }
  }
  return std::string_view::npos;
#endif
}

fs::path make_temp_folder(std::string_view prefix) {
  // temp_directory_path() reads TMPDIR (and the platform's equivalents).
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) {
    base = fs::path("/tmp");
  }
#if defined(_WIN32)
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate =
        base / (std::string(prefix) + std::to_string(random()));
    if (fs::create_directory(candidate, ec)) {
      return candidate;
    }
  }
  throw Error("cannot create a temporary folder in " + base.string() +
              "; set TMP to a writable folder");
#else
  std::string pattern = (base / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw Error("cannot create a temporary folder in " + pattern +
                "; set TMPDIR to a writable folder");
  }
  return pattern;
#endif
}

} // namespace uploader::util
