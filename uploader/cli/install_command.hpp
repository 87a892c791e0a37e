#pragma once

#include "uploader/cli/args.hpp"

#include <span>

namespace uploader::cli {

// The options of `sentry-sourcemaps install`.
std::span<const OptionSpec> install_options();

// `sentry-sourcemaps install <DIR> <DESTINATION>`: copies a bundle folder
// as it may be deployed (no source map, no map comment, no DWARF), what
// sentry_sourcemaps_install() runs at `cmake --install` and CPack time.
// Warns (or with --require-upload fails, installing nothing) when the
// stamp of the upload does not confirm the folder as it is now.
int run_install(const ParsedArgs &args);

} // namespace uploader::cli
