#include "uploader/cli/options_common.hpp"

#include "uploader/util/error.hpp"
#include "uploader/util/log.hpp"

#include <charconv>
#include <cstdlib>

namespace uploader::cli {

void apply_log_options(const ParsedArgs &args) {
  if (auto level = args.value("log-level")) {
    util::set_log_level(util::parse_log_level(*level));
  }
  if (args.has("verbose")) {
    util::set_log_level(util::LogLevel::debug);
  }
  if (args.has("quiet")) {
    util::set_log_level(util::LogLevel::error);
  }
}

std::optional<long long> integer_option(const ParsedArgs &args,
                                        std::string_view name) {
  auto text = args.value(name);
  if (!text) {
    return std::nullopt;
  }
  long long value = 0;
  auto [end, error] =
      std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < 0) {
    throw UsageError("option '--" + std::string(name) +
                     "' needs a whole number of at least 0, not '" + *text +
                     "'");
  }
  return value;
}

config::ConfigInputs config_inputs(const ParsedArgs &args) {
  config::ConfigInputs inputs;
  inputs.flags.auth_token = args.value("auth-token");
  inputs.flags.url = args.value("url");
  inputs.flags.org = args.value("org");
  inputs.flags.projects = args.values("project");
  inputs.flags.release = args.value("release");
  inputs.flags.dist = args.value("dist");
  if (auto env_file = args.value("env-file")) {
    inputs.flags.env_file = *env_file;
  }
  inputs.getenv = [](const std::string &key) -> std::optional<std::string> {
    const char *value = std::getenv(key.c_str());
    return value == nullptr ? std::nullopt : std::optional<std::string>(value);
  };
  inputs.cwd = std::filesystem::current_path();
  if (const char *home = std::getenv("HOME")) {
    inputs.home = home;
  }
  return inputs;
}

} // namespace uploader::cli
