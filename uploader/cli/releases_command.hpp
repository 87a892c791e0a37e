#pragma once

#include "uploader/cli/args.hpp"

#include <span>

namespace uploader::cli {

// The options of `sentry-sourcemaps releases`, for every action.
std::span<const OptionSpec> releases_options();

// `sentry-sourcemaps releases <new|finalize|set-commits|deploy> [VERSION]`:
// the release endpoints sentry-cli's `releases new|finalize|set-commits` and
// `deploys new` call, with the same request bodies.
int run_releases(const ParsedArgs &args);

} // namespace uploader::cli
