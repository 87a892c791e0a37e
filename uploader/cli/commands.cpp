#include "uploader/cli/commands.hpp"

#include <array>

namespace uploader::cli {

namespace {

constexpr std::array k_common_options{
    OptionSpec{"help", 'h', Arity::flag, "", "Print this help and exit"},
    OptionSpec{"verbose", 'v', Arity::flag, "",
               "Print one line per file and per request"},
    OptionSpec{"quiet", 'q', Arity::flag, "", "Print errors only"},
    OptionSpec{"log-level", 0, Arity::value, "LEVEL",
               "trace|debug|info|warn|error (sentry-cli compatible)"},
};

constexpr std::array<Command, 0> k_commands{};

} // namespace

std::span<const OptionSpec> common_options() { return k_common_options; }

std::span<const Command> commands() { return k_commands; }

} // namespace uploader::cli
