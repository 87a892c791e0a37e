#pragma once

#include "uploader/cli/args.hpp"

#include <span>

namespace uploader::cli {

// The options of `sentry-sourcemaps inject`.
std::span<const OptionSpec> inject_options();

// `sentry-sourcemaps inject [PATH]...`: adds Sentry debug ids to JS files
// and their source maps, byte-compatible with `sentry-cli sourcemaps
// inject` 3.8. Every output is prepared next to its file first; nothing is
// replaced unless every file succeeded (or --skip-invalid skips the bad
// ones).
int run_inject(const ParsedArgs &args);

} // namespace uploader::cli
