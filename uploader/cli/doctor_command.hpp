#pragma once

#include "uploader/cli/args.hpp"

#include <span>

namespace uploader::cli {

std::span<const OptionSpec> doctor_options();

// `doctor [DIR]`: the "are my source maps working?" checklist.
int run_doctor(const ParsedArgs &args);

} // namespace uploader::cli
