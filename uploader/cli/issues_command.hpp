#pragma once

#include "uploader/cli/args.hpp"

#include <span>

namespace uploader::cli {

std::span<const OptionSpec> issues_options();

// `issues [--query Q] [--limit N] [--json] [--check-symbolication]`.
int run_issues(const ParsedArgs &args);

} // namespace uploader::cli
