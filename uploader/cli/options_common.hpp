#pragma once

#include "uploader/cli/args.hpp"
#include "uploader/config/config.hpp"
#include "uploader/http/client.hpp"
#include "uploader/http/retry.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace uploader::cli {

// The options every command that talks to Sentry spells the same way.
inline constexpr OptionSpec k_org_option{
    "org", 'o', Arity::value, "ORG", "Organization slug (default: SENTRY_ORG)"};
inline constexpr OptionSpec k_project_option{
    "project", 'p', Arity::repeated, "PROJECT",
    "Project slug or numeric id (default: SENTRY_PROJECT)"};
inline constexpr OptionSpec k_server_url_option{
    "url", 0, Arity::value, "URL",
    "Sentry server (default: SENTRY_URL or https://sentry.io/)"};
inline constexpr OptionSpec k_auth_token_option{
    "auth-token", 0, Arity::value, "TOKEN",
    "Token (visible to other processes: prefer SENTRY_AUTH_TOKEN)"};
inline constexpr OptionSpec k_env_file_option{
    "env-file", 0, Arity::value, "FILE",
    "dotenv file with SENTRY_* settings (default .env.sentry-build-plugin)"};

// `-I/--ignore-file FILE`, shared by the commands that walk a build.
inline constexpr OptionSpec k_ignore_file_option{
    "ignore-file", 'I', Arity::repeated, "FILE",
    "Skip files matching the patterns of this gitignore-syntax file "
    "(matched against paths relative to the working directory, as "
    "sentry-cli does)"};

// The lines of every --ignore-file, in order. Throws UsageError naming a
// file that cannot be read (sentry-cli would silently ignore it).
std::vector<std::string> read_ignore_files(const ParsedArgs &args);

// The --ext values, normalised (discovery::normalize_extensions), or
// `defaults` when none is given.
std::vector<std::string>
extensions_option(const ParsedArgs &args,
                  const std::vector<std::string> &defaults);

// Applies --verbose, --quiet and --log-level to the process log level.
void apply_log_options(const ParsedArgs &args);

// Parses a non-negative integer option; throws UsageError naming it.
std::optional<long long> integer_option(const ParsedArgs &args,
                                        std::string_view name);

// The configuration sources of a command that talks to Sentry: its flags
// (--org, --project, --release, --dist, --url, --auth-token, --env-file),
// the process environment, the working directory and $HOME.
config::ConfigInputs config_inputs(const ParsedArgs &args);

// Loads the configuration of a command that talks to Sentry from `inputs`,
// registers its token with the redaction layer and prints, once, its
// warnings and the one about a token given with --auth-token.
config::Config load_command_config(const ParsedArgs &args,
                                   const config::ConfigInputs &inputs);

// Throws ConfigError saying where to set the organization / a project when
// `config` has none.
void require_org(const config::Config &config);
void require_project(const config::Config &config);

// The options of every command that talks to Sentry: timeouts, retries,
// the total deadline and TLS (--connect-timeout, --stall-timeout,
// --deadline, --max-retries, --ca-file, --insecure).
std::span<const OptionSpec> network_options();

// Runs `git` with these arguments (config::GitRunner): its standard output
// when it exits 0, nullopt otherwise.
std::optional<std::string> run_git(const std::vector<std::string> &args);

struct NetworkSettings {
  http::ClientOptions client;
  http::RetryPolicy retry;
};

// Reads network_options() and their environment variables (flags win):
// SENTRY_SOURCEMAPS_CONNECT_TIMEOUT, SENTRY_SOURCEMAPS_STALL_TIMEOUT,
// SENTRY_SOURCEMAPS_DEADLINE (seconds), SENTRY_HTTP_MAX_RETRIES,
// SENTRY_CA_FILE (then sentry-cli's CURL_CA_BUNDLE and SSL_CERT_FILE) and
// SENTRY_SOURCEMAPS_RETRY_DELAY_MS (first backoff step; a test aid). The
// deadline counts from this call. Warns when --insecure is given. Sets the
// user agent and, at --verbose, the request trace.
NetworkSettings network_settings(const ParsedArgs &args,
                                 const util::EnvGetter &getenv);

} // namespace uploader::cli
