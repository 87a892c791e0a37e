#pragma once

#include "uploader/cli/args.hpp"

#include <span>

namespace uploader::cli {

std::span<const OptionSpec> upload_options();

// `sentry-sourcemaps upload [PATH]...`: builds one artifact bundle (more if
// the server's size limit requires) from the JS files and maps under PATH,
// uploads only what Sentry lacks, waits until Sentry confirms it, and then,
// if asked, deletes the maps. Never modifies input files unless --inject or
// --delete-after says so.
int run_upload(const ParsedArgs &args);

} // namespace uploader::cli
