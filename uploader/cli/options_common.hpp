#pragma once

#include "uploader/cli/args.hpp"
#include "uploader/config/config.hpp"

#include <optional>
#include <string>

namespace uploader::cli {

// Applies --verbose, --quiet and --log-level to the process log level.
void apply_log_options(const ParsedArgs &args);

// Parses a non-negative integer option; throws UsageError naming it.
std::optional<long long> integer_option(const ParsedArgs &args,
                                        std::string_view name);

// The configuration sources of a command that talks to Sentry: its flags
// (--org, --project, --release, --dist, --url, --auth-token, --env-file),
// the process environment, the working directory and $HOME.
config::ConfigInputs config_inputs(const ParsedArgs &args);

} // namespace uploader::cli
