#pragma once

#include "uploader/util/environment.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace uploader::config {

// A configured value and where it came from, so that an error can say which
// file, variable or flag to fix ("SENTRY_ORG", "--org", ".sentryclirc").
struct Setting {
  std::string value;
  std::string source;
};

// Values given on the command line; each wins over every other source.
struct FlagValues {
  std::optional<std::string> auth_token;
  std::optional<std::string> url;
  std::optional<std::string> org;
  std::vector<std::string> projects;
  std::optional<std::string> release;
  std::optional<std::string> dist;
  std::optional<std::filesystem::path> env_file;
};

struct ConfigInputs {
  FlagValues flags;
  util::EnvGetter getenv;
  std::filesystem::path cwd;
  std::optional<std::filesystem::path> home;
  // false: org and project slugs are kept unvalidated, for a caller that
  // reports every problem at once (doctor) instead of stopping at the first.
  bool validate_slugs = true;
};

struct Config {
  std::optional<Setting> auth_token;
  Setting url; // always set; defaults to https://sentry.io/
  std::optional<Setting> org;
  std::vector<Setting> projects; // de-duplicated, in order
  std::optional<Setting> release;
  std::optional<Setting> dist;
  std::vector<std::string> warnings; // to print once, never containing secrets
};

inline constexpr const char *k_default_url = "https://sentry.io/";
inline constexpr const char *k_default_env_file = ".env.sentry-build-plugin";

// Resolves the configuration, highest precedence first: flags, environment
// (SENTRY_AUTH_TOKEN, SENTRY_ORG, SENTRY_PROJECT, SENTRY_URL, SENTRY_RELEASE,
// SENTRY_DIST), the env file (--env-file, default .env.sentry-build-plugin in
// `cwd`), the nearest .sentryclirc/sentrycli.ini walking up from `cwd`, then
// the one in the home directory. An org token's embedded org and URL win
// over all of these, as in sentry-cli, with a warning when they differ.
// Throws ConfigError for a bad value, naming its source.
Config load_config(const ConfigInputs &inputs);

// The validators sentry-cli and the server apply; each throws ConfigError
// naming `setting.source` and saying what to change.
// The values without where they came from.
std::vector<std::string> values_of(const std::vector<Setting> &settings);
std::optional<std::string> value_of(const std::optional<Setting> &setting);

void validate_org(const Setting &setting);
void validate_project(const Setting &setting);
void validate_release(const Setting &setting);
void validate_dist(const Setting &setting);
// Returns the URL with exactly one trailing slash; rejects non-http(s) URLs
// and URLs with a path (Sentry's API lives at the root).
std::string normalize_base_url(const Setting &setting);

} // namespace uploader::config
