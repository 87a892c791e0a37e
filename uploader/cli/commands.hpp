#pragma once

#include "uploader/cli/args.hpp"

#include <span>
#include <string_view>

namespace uploader::cli {

// A subcommand: its name, one-line summary, synopsis, own options, whether
// it talks to Sentry (then it also takes network_options()) and the
// function that runs it. The handler returns an exit code and reports
// failures by throwing uploader::Error subclasses.
struct Command {
  std::string_view name;
  std::string_view summary;
  std::string_view synopsis;
  std::span<const OptionSpec> options;
  bool talks_to_sentry;
  int (*handler)(const ParsedArgs &args);
};

// Options every subcommand accepts.
std::span<const OptionSpec> common_options();

// Every subcommand, in the order `--help` lists them.
std::span<const Command> commands();

} // namespace uploader::cli
