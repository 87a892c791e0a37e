#pragma once

#include "uploader/cli/args.hpp"

#include <span>

namespace uploader::cli {

std::span<const OptionSpec> resolve_options();

// `resolve <file.js>:<line>:<column> [DIR]` and
// `resolve --event FILE (--bundle FILE | --from-server | DIR)`.
int run_resolve(const ParsedArgs &args);

} // namespace uploader::cli
