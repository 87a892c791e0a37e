#pragma once

// Small helpers several unit test files share, so that they build and run
// alike on Linux, macOS and Windows.
#include "uploader/util/native_file.hpp"

#include <string>

namespace test_helpers {

// This process's id as text: part of the temporary folders' names, so that
// test binaries running at the same time never share one.
inline std::string process_id() {
  return std::to_string(uploader::util::current_process_id());
}

// Why cases that create symbolic links do not run on Windows: creating one
// needs a privilege (or Developer Mode) there, and MinGW's std::filesystem
// does not implement create_symlink at all.
inline constexpr const char *k_no_symlinks =
    "creating symbolic links needs a privilege on Windows (and MinGW's "
    "std::filesystem cannot)";

} // namespace test_helpers
