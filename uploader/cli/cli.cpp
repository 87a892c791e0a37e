#include "uploader/cli/cli.hpp"

#include "uploader/cli/commands.hpp"
#include "uploader/cli/exit_codes.hpp"
#include "uploader/cli/options_common.hpp"
#include "uploader/util/deflate.hpp"
#include "uploader/util/environment.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/hash.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/redact.hpp"
#include "uploader/util/strings.hpp"
#include "uploader/version.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace uploader::cli {

namespace {

constexpr const char *k_program = "sentry-sourcemaps";

std::string main_usage() {
  std::string text = std::string("Usage: ") + k_program +
                     " <COMMAND> [OPTIONS] [ARGS]...\n\n"
                     "Upload JavaScript source maps to Sentry, safely.\n\n"
                     "Commands:\n";
  size_t width = 0;
  for (const auto &command : commands()) {
    width = std::max(width, command.name.size());
  }
  for (const auto &command : commands()) {
    text += "  " + std::string(command.name) +
            std::string(width - command.name.size() + 2, ' ') +
            std::string(command.summary) + "\n";
  }
  text += "\nOptions:\n"
          "  -h, --help     Print this help (or a command's, after it)\n"
          "  -V, --version  Print the version\n\n"
          "Exit codes: 0 ok, 1 upload or server failure, 2 usage or "
          "configuration error,\n3 authentication or permission error.\n";
  return text;
}

std::string command_usage(const Command &command,
                          const std::vector<OptionSpec> &options) {
  return "Usage: " + std::string(k_program) + " " +
         std::string(command.synopsis) + "\n\n" + std::string(command.summary) +
         "\n\nOptions:\n" + format_options(options);
}

std::string command_names() {
  std::vector<std::string> names;
  for (const auto &command : commands()) {
    names.emplace_back(command.name);
  }
  return util::join(names);
}

int dispatch(const std::vector<std::string> &args) {
  if (args.empty()) {
    std::cerr << main_usage();
    return static_cast<int>(ExitCode::usage);
  }
  const std::string &name = args.front();
  if (name == "--help" || name == "-h" || name == "help") {
    std::cout << main_usage();
    return static_cast<int>(ExitCode::ok);
  }
  if (name == "--version" || name == "-V" || name == "version") {
    std::cout << k_program << " " << k_version << "\n";
    return static_cast<int>(ExitCode::ok);
  }
  auto found = std::ranges::find(commands(), name, &Command::name);
  if (found == commands().end()) {
    throw UsageError("unknown command '" + name + "'; accepted: " +
                     command_names() + " (see 'sentry-sourcemaps --help')");
  }
  std::vector<OptionSpec> options(found->options.begin(), found->options.end());
  if (found->talks_to_sentry) {
    options.insert(options.end(), network_options().begin(),
                   network_options().end());
  }
  options.insert(options.end(), common_options().begin(),
                 common_options().end());
  std::span<const std::string> rest(args.data() + 1, args.size() - 1);
  ParsedArgs parsed = parse_args(rest, options, found->name);
  if (parsed.has("help")) {
    std::cout << command_usage(*found, options);
    return static_cast<int>(ExitCode::ok);
  }
  // Every command's prologue: --verbose, --quiet and --log-level (checked
  // here, so a bad level is refused before any work).
  apply_log_options(parsed);
  util::log_debug(std::string(k_program) + " " + k_version + " (SHA-1 " +
                  std::string(util::sha1_backend()) + ", DEFLATE " +
                  std::string(util::deflate_backend()) + ")");
  return found->handler(parsed);
}

} // namespace

int run(const std::vector<std::string> &args) {
  try {
    return dispatch(args);
  } catch (const UsageError &error) {
    std::cerr << k_program << ": error: " << util::redact(error.what()) << "\n";
    return static_cast<int>(ExitCode::usage);
  } catch (const ConfigError &error) {
    std::cerr << k_program << ": error: " << util::redact(error.what()) << "\n";
    return static_cast<int>(ExitCode::usage);
  } catch (const AuthError &error) {
    std::cerr << k_program << ": error: " << util::redact(error.what()) << "\n";
    return static_cast<int>(ExitCode::auth);
  } catch (const std::exception &error) {
    std::cerr << k_program << ": error: " << util::redact(error.what()) << "\n";
    return static_cast<int>(ExitCode::failure);
  }
}

int run(int argc, char **argv) {
  util::tune_allocator();
#ifdef SENTRY_SOURCEMAPS_TEST_HOOKS
  // The kill-safety tests stop an inject between its renames.
  if (auto renames = util::nonempty_variable(
          util::process_environment(),
          "SENTRY_SOURCEMAPS_TEST_EXIT_AFTER_RENAMES")) {
    util::set_exit_after_renames(std::strtol(renames->c_str(), nullptr, 10));
  }
#endif
  return run(util::utf8_arguments(argc, argv));
}

} // namespace uploader::cli
