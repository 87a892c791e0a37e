#pragma once

namespace uploader::cli {

// The documented exit codes; README.md lists the same table.
enum class ExitCode : int {
  ok = 0,
  failure = 1, // upload, server or file failure
  usage = 2,   // bad command line or configuration
  auth = 3,    // 401/403: token missing, invalid or lacking scopes
};

} // namespace uploader::cli
