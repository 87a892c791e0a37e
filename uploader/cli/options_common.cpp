#include "uploader/cli/options_common.hpp"

#include "uploader/discovery/walk.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/process.hpp"
#include "uploader/util/redact.hpp"
#include "uploader/util/strings.hpp"
#include "uploader/version.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace uploader::cli {

std::vector<std::string> read_ignore_files(const ParsedArgs &args) {
  std::vector<std::string> lines;
  for (const auto &file : args.values("ignore-file")) {
    std::string text;
    try {
      text = util::read_file(util::path_from_utf8(file));
    } catch (const Error &error) {
      throw UsageError("cannot read --ignore-file: " +
                       std::string(error.what()));
    }
    std::vector<std::string> file_lines = util::split_lines(text);
    lines.insert(lines.end(), file_lines.begin(), file_lines.end());
  }
  return lines;
}

std::vector<std::string>
extensions_option(const ParsedArgs &args,
                  const std::vector<std::string> &defaults) {
  return args.has("ext") ? discovery::normalize_extensions(args.values("ext"))
                         : defaults;
}

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

std::optional<std::string> run_git(const std::vector<std::string> &args) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  return util::capture_output(argv);
}

namespace {

std::optional<long long> parse_count(std::string_view text) {
  long long value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

// --`flag` (unless empty), else the environment variable `env`, as a whole
// number.
std::optional<long long> count_setting(const ParsedArgs &args,
                                       const util::EnvGetter &getenv,
                                       std::string_view flag, const char *env) {
  if (auto value = flag.empty() ? std::nullopt : integer_option(args, flag)) {
    return value;
  }
  auto text = util::nonempty_variable(getenv, env);
  if (!text) {
    return std::nullopt;
  }
  auto value = parse_count(*text);
  if (!value) {
    throw ConfigError(std::string(env) +
                      " needs a whole number of at least 0, not '" + *text +
                      "'");
  }
  return value;
}

constexpr std::array k_network_options{
    OptionSpec{"connect-timeout", 0, Arity::value, "SECONDS",
               "Give up connecting after this long (default 10; env "
               "SENTRY_SOURCEMAPS_CONNECT_TIMEOUT)"},
    OptionSpec{"stall-timeout", 0, Arity::value, "SECONDS",
               "Abort a transfer that makes no progress this long (default "
               "60; env SENTRY_SOURCEMAPS_STALL_TIMEOUT)"},
    OptionSpec{"deadline", 0, Arity::value, "SECONDS",
               "Stop all network work after this long in total (default: "
               "none; env SENTRY_SOURCEMAPS_DEADLINE)"},
    OptionSpec{"max-retries", 0, Arity::value, "N",
               "Retries of a failed request (default 5; env "
               "SENTRY_HTTP_MAX_RETRIES)"},
    OptionSpec{"ca-file", 0, Arity::value, "FILE",
               "CA certificates to trust, PEM (env SENTRY_CA_FILE)"},
    OptionSpec{"insecure", 0, Arity::flag, "",
               "Do not verify Sentry's TLS certificate (unsafe: warns on "
               "every run)"},
    OptionSpec{"header", 0, Arity::repeated, "KEY:VALUE",
               "Extra HTTP header on every request, e.g. for a proxy (shown "
               "as [REDACTED]; secrets belong in SENTRY_SOURCEMAPS_HEADERS, "
               "one per line: the command line is visible to other "
               "processes)"},
};

// `Key: Value` from --header or SENTRY_SOURCEMAPS_HEADERS (`from` names
// which); throws UsageError on anything that is not one safe header line.
std::string header_line(std::string_view text, std::string_view from) {
  auto colon = text.find(':');
  std::string_view key =
      colon == std::string_view::npos ? text : text.substr(0, colon);
  while (!key.empty() && key.back() == ' ') {
    key.remove_suffix(1);
  }
  std::string_view value =
      colon == std::string_view::npos ? "" : text.substr(colon + 1);
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  auto is_token_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) !=
               std::string_view::npos;
  };
  if (colon == std::string_view::npos || key.empty() ||
      !std::ranges::all_of(key, is_token_char) ||
      value.find_first_of("\r\n") != std::string_view::npos) {
    throw UsageError("invalid header '" + std::string(text) + "' in " +
                     std::string(from) +
                     ": write KEY:VALUE, e.g. 'CF-Access-Client-Id: abc'");
  }
  if (util::ascii_lower(key) == "authorization") {
    throw UsageError("a header cannot set Authorization (" + std::string(from) +
                     "): the token goes in SENTRY_AUTH_TOKEN or the env file");
  }
  return std::string(key) + ": " + std::string(value);
}

} // namespace

std::optional<long long> integer_option(const ParsedArgs &args,
                                        std::string_view name) {
  auto text = args.value(name);
  if (!text) {
    return std::nullopt;
  }
  auto value = parse_count(*text);
  if (!value) {
    throw UsageError("option '--" + std::string(name) +
                     "' needs a whole number of at least 0, not '" + *text +
                     "'");
  }
  return value;
}

std::span<const OptionSpec> network_options() { return k_network_options; }

NetworkSettings network_settings(const ParsedArgs &args,
                                 const util::EnvGetter &getenv) {
  auto started = std::chrono::steady_clock::now();
  NetworkSettings s;
  s.client.user_agent = k_user_agent;
  if (auto seconds = count_setting(args, getenv, "connect-timeout",
                                   "SENTRY_SOURCEMAPS_CONNECT_TIMEOUT")) {
    s.client.connect_timeout = std::chrono::seconds(*seconds);
  }
  if (auto seconds = count_setting(args, getenv, "stall-timeout",
                                   "SENTRY_SOURCEMAPS_STALL_TIMEOUT")) {
    // curl takes whole seconds here, and 0 would turn the check off.
    s.client.stall_timeout = std::chrono::seconds(std::max(*seconds, 1LL));
  }
  if (auto seconds =
          count_setting(args, getenv, "deadline", "SENTRY_SOURCEMAPS_DEADLINE");
      seconds && *seconds > 0) {
    s.client.deadline = started + std::chrono::seconds(*seconds);
    s.retry.deadline = s.client.deadline;
  }
  // sentry-cli's variable, so existing CI settings keep working.
  if (auto retries = count_setting(args, getenv, "max-retries",
                                   "SENTRY_HTTP_MAX_RETRIES")) {
    s.retry.max_retries = static_cast<int>(std::min(*retries, 100LL));
  }
  if (auto ms =
          count_setting(args, getenv, "", "SENTRY_SOURCEMAPS_RETRY_DELAY_MS")) {
    s.retry.initial_delay = std::chrono::milliseconds(*ms);
  }
  s.client.ca_file = args.value("ca-file");
  for (const char *env :
       {"SENTRY_CA_FILE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
    if (!s.client.ca_file) {
      s.client.ca_file = util::nonempty_variable(getenv, env);
    }
  }
  for (const auto &header : args.values("header")) {
    s.client.extra_headers.push_back(header_line(header, "--header"));
  }
  if (auto headers =
          util::nonempty_variable(getenv, "SENTRY_SOURCEMAPS_HEADERS")) {
    for (const auto &line : util::split_lines(*headers)) {
      if (!line.empty()) {
        s.client.extra_headers.push_back(
            header_line(line, "SENTRY_SOURCEMAPS_HEADERS"));
      }
    }
  }
  s.client.insecure = args.has("insecure");
  if (s.client.insecure) {
    util::log_warn("--insecure: Sentry's TLS certificate is not verified, so "
                   "anyone on the network path can read the auth token and "
                   "change what is uploaded; use --ca-file instead");
  }
  if (util::log_level() <= util::LogLevel::debug) {
    s.client.trace = [](std::string_view line) { util::log_debug(line); };
    s.client.trace_headers = true;
  }
  return s;
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
    inputs.flags.env_file = util::path_from_utf8(*env_file);
  }
  inputs.getenv = util::process_environment();
  inputs.cwd = std::filesystem::current_path();
  if (auto home = inputs.getenv("HOME")) {
    inputs.home = *home;
  }
  return inputs;
}

} // namespace uploader::cli

namespace uploader::cli {

config::Config load_command_config(const ParsedArgs &args,
                                   const config::ConfigInputs &inputs) {
  config::Config config = config::load_config(inputs);
  if (config.auth_token) {
    util::register_secret(config.auth_token->value);
  }
  if (args.has("auth-token")) {
    util::log_warn("--auth-token puts the token on the command line, where "
                   "other processes can read it; prefer SENTRY_AUTH_TOKEN "
                   "or .env.sentry-build-plugin");
  }
  for (const auto &warning : config.warnings) {
    util::log_warn(warning);
  }
  return config;
}

void require_org(const config::Config &config) {
  if (!config.org) {
    throw ConfigError("no organization: set --org, SENTRY_ORG (environment "
                      "or .env.sentry-build-plugin) or [defaults] org in "
                      ".sentryclirc");
  }
}

void require_project(const config::Config &config) {
  if (config.projects.empty()) {
    throw ConfigError("no project: set --project, SENTRY_PROJECT "
                      "(environment or .env.sentry-build-plugin) or "
                      "[defaults] project in .sentryclirc");
  }
}

} // namespace uploader::cli
