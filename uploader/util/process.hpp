#pragma once

#include <optional>
#include <string>
#include <vector>

namespace uploader::util {

// Runs `argv` (argv[0] looked up in PATH, no shell) with stdin and stderr
// on /dev/null and returns its standard output if it exits 0; nullopt if it
// cannot start or fails. For short queries such as `git rev-parse HEAD`.
std::optional<std::string> capture_output(const std::vector<std::string> &argv);

} // namespace uploader::util
