#pragma once

#include <string>
#include <vector>

namespace uploader::cli {

// Runs the command line `argv` and returns the process exit code. This is
// the only place that catches uploader errors and maps them to exit codes.
int run(int argc, char **argv);

// Same, for an already split argument list (without the program name).
int run(const std::vector<std::string> &args);

} // namespace uploader::cli
