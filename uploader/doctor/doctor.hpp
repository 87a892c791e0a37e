#pragma once

#include "uploader/config/config.hpp"
#include "uploader/doctor/checks.hpp"
#include "uploader/http/client.hpp"
#include "uploader/http/retry.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace uploader::doctor {

struct DoctorOptions {
  config::ConfigInputs inputs;
  // The read token (SENTRY_READ_TOKEN), if configured; checked separately.
  std::optional<config::Setting> read_token;
  // The build output to check; nullopt skips the file checks.
  std::optional<std::filesystem::path> folder;
  std::vector<std::string> ignores;
  std::vector<std::string> ignore_file_lines; // see discovery::WalkOptions
  // The upload injects debug IDs itself (upload --inject): missing ones are
  // expected, not a failure.
  bool expect_inject = false;
  // Timeouts, retries, CA file and trace (cli::network_settings); the token
  // is set per request.
  http::ClientOptions client;
  http::RetryPolicy retry;
};

// Runs the checklist users otherwise work through by hand when source maps
// do not apply, in order: env file, server URL, upload token and its
// scopes, read token, organization, project(s), then the folder's JS files,
// maps, source contents and debug IDs. Never throws for a failed check:
// each becomes a line.
std::vector<Check> run_doctor(const DoctorOptions &options);

} // namespace uploader::doctor
