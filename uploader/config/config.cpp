#include "uploader/config/config.hpp"

#include "uploader/config/auth_token.hpp"
#include "uploader/config/dotenv.hpp"
#include "uploader/config/ini.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace uploader::config {

namespace {

namespace fs = std::filesystem;
using KeyValues = std::map<std::string, std::string, std::less<>>;

// One layer of configuration below the flags: a name for messages and the
// values it holds, keyed by environment-variable name.
struct Layer {
  std::string source;
  KeyValues values;
};

std::optional<std::string> read_optional(const fs::path &path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  return util::read_file(path);
}

Layer env_file_layer(const ConfigInputs &inputs) {
  fs::path path = inputs.flags.env_file.value_or(k_default_env_file);
  if (path.is_relative()) {
    path = inputs.cwd / path;
  }
  auto text = read_optional(path);
  if (!text && inputs.flags.env_file) {
    throw ConfigError("env file '" + inputs.flags.env_file->string() +
                      "' (from --env-file) does not exist; create it or "
                      "drop --env-file");
  }
  Layer layer{path.filename().string(), {}};
  if (text) {
    for (auto &[key, value] : parse_dotenv(*text)) {
      layer.values[key] = value;
    }
  }
  return layer;
}

// sentry-cli's ini keys, mapped to the environment names used everywhere
// else in this file.
constexpr std::pair<const char *, const char *> k_ini_keys[] = {
    {"auth.token", "SENTRY_AUTH_TOKEN"},
    {"defaults.url", "SENTRY_URL"},
    {"defaults.org", "SENTRY_ORG"},
    {"defaults.project", "SENTRY_PROJECT"},
};

void merge_ini(Layer &layer, const fs::path &path) {
  auto text = read_optional(path);
  if (!text) {
    return;
  }
  auto ini = parse_ini(*text);
  for (auto [ini_key, env_key] : k_ini_keys) {
    if (auto it = ini.find(ini_key); it != ini.end()) {
      layer.values[env_key] = it->second;
    }
  }
  layer.source = path.string();
}

std::optional<fs::path> nearest_project_ini(fs::path dir) {
  while (true) {
    for (const char *name : {".sentryclirc", "sentrycli.ini"}) {
      std::error_code ec;
      if (fs::is_regular_file(dir / name, ec)) {
        return dir / name;
      }
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) {
      return std::nullopt;
    }
    dir = dir.parent_path();
  }
}

// The global ini first, then the nearest project ini merged key by key over
// it, as sentry-cli does. Returned as two layers so messages name the file
// a value really came from.
std::vector<Layer> ini_layers(const ConfigInputs &inputs) {
  Layer project{".sentryclirc", {}};
  if (auto path = nearest_project_ini(inputs.cwd)) {
    merge_ini(project, *path);
  }
  Layer global{"~/.sentryclirc", {}};
  if (inputs.home) {
    fs::path rc = *inputs.home / ".sentryclirc";
    std::error_code ec;
    merge_ini(global, fs::exists(rc, ec)
                          ? rc
                          : *inputs.home / ".config/sentry/sentrycli.ini");
  }
  return {project, global};
}

class Resolver {
public:
  explicit Resolver(const ConfigInputs &inputs) {
    Layer env{"environment", {}};
    for (const char *key :
         {"SENTRY_AUTH_TOKEN", "SENTRY_URL", "SENTRY_ORG", "SENTRY_PROJECT",
          "SENTRY_RELEASE", "SENTRY_DIST"}) {
      if (auto value = inputs.getenv(key)) {
        env.values[key] = *value;
      }
    }
    m_layers.push_back(std::move(env));
    m_layers.push_back(env_file_layer(inputs));
    for (auto &layer : ini_layers(inputs)) {
      m_layers.push_back(std::move(layer));
    }
  }

  // The flag if given, else the first layer that has `key`. An empty value
  // counts as given, so that validation can point at it.
  std::optional<Setting> get(const std::optional<std::string> &flag,
                             const char *flag_name, const char *key) const {
    if (flag) {
      return Setting{*flag, flag_name};
    }
    for (const auto &layer : m_layers) {
      if (auto it = layer.values.find(key); it != layer.values.end()) {
        std::string source = layer.source == "environment"
                                 ? std::string(key)
                                 : std::string(key) + " in " + layer.source;
        return Setting{it->second, source};
      }
    }
    return std::nullopt;
  }

private:
  std::vector<Layer> m_layers;
};

bool has_edge_whitespace(std::string_view value) {
  auto space = [](char c) {
    return std::isspace(static_cast<unsigned char>(c));
  };
  return !value.empty() && (space(value.front()) || space(value.back()));
}

[[noreturn]] void bad(const std::string &what, const Setting &setting,
                      const std::string &problem, const std::string &fix) {
  throw ConfigError(what + " '" + setting.value + "' (from " + setting.source +
                    ") " + problem + "; " + fix);
}

void validate_slug(const std::string &what, const Setting &setting) {
  const std::string &v = setting.value;
  if (v.empty()) {
    throw ConfigError(what + " is empty (from " + setting.source +
                      "); set it to the slug shown in Sentry's URL");
  }
  if (has_edge_whitespace(v)) {
    bad(what, setting, "has leading or trailing whitespace",
        "remove it (did you mean '" +
            std::string(
                v.begin() + static_cast<long>(v.find_first_not_of(" \t\r\n")),
                v.begin() +
                    static_cast<long>(v.find_last_not_of(" \t\r\n") + 1)) +
            "'?)");
  }
  if (v == "." || v == ".." ||
      v.find_first_of("/ \t\r\n") != std::string::npos) {
    bad(what, setting, "is not a valid slug",
        "slugs contain no '/', spaces or tabs and are not '.' or '..'");
  }
}

} // namespace

void validate_org(const Setting &setting) {
  validate_slug("organization", setting);
}

void validate_project(const Setting &setting) {
  validate_slug("project", setting);
}

void validate_release(const Setting &setting) {
  const std::string &v = setting.value;
  if (v.empty()) {
    throw ConfigError("release is empty (from " + setting.source +
                      "); give a release name or leave it unset");
  }
  if (has_edge_whitespace(v)) {
    bad("release", setting, "has leading or trailing whitespace", "remove it");
  }
  if (v == "." || v == ".." || v == "latest") {
    bad("release", setting, "is reserved by Sentry", "choose another name");
  }
  if (v.find_first_of("/\\\n\r\t\x0b\x0c") != std::string::npos) {
    bad("release", setting, "contains '/', '\\' or a control character",
        "Sentry rejects those in release names");
  }
  if (v.size() > 250) {
    bad("release", setting, "is longer than 250 characters", "shorten it");
  }
}

void validate_dist(const Setting &setting) {
  if (has_edge_whitespace(setting.value) || setting.value.empty()) {
    bad("dist", setting, "is empty or has leading or trailing whitespace",
        "remove the whitespace");
  }
  if (setting.value.size() > 64) {
    bad("dist", setting, "is longer than 64 characters",
        "Sentry stores at most 64");
  }
}

std::string normalize_base_url(const Setting &setting) {
  std::string url = setting.value;
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  bool http = url.starts_with("http://") || url.starts_with("https://");
  size_t host_start = url.find("://") + 3;
  if (!http || url.size() <= host_start) {
    bad("URL", setting, "is not an http:// or https:// URL",
        "use e.g. https://sentry.io/ or https://sentry.example.com/");
  }
  if (url.find('/', host_start) != std::string::npos) {
    bad("URL", setting, "has a path",
        "Sentry's API is at the root of its host: use only scheme and host");
  }
  return url + "/";
}

Config load_config(const ConfigInputs &inputs) {
  Resolver resolver(inputs);
  const FlagValues &flags = inputs.flags;
  Config config;
  config.auth_token =
      resolver.get(flags.auth_token, "--auth-token", "SENTRY_AUTH_TOKEN");
  if (config.auth_token && config.auth_token->value.empty()) {
    config.auth_token.reset();
  }
  config.url = resolver.get(flags.url, "--url", "SENTRY_URL")
                   .value_or(Setting{k_default_url, "the default"});
  config.org = resolver.get(flags.org, "--org", "SENTRY_ORG");
  config.release = resolver.get(flags.release, "--release", "SENTRY_RELEASE");
  config.dist = resolver.get(flags.dist, "--dist", "SENTRY_DIST");

  if (!flags.projects.empty()) {
    for (const auto &project : flags.projects) {
      config.projects.push_back({project, "--project"});
    }
  } else if (auto project = resolver.get(std::nullopt, "", "SENTRY_PROJECT")) {
    config.projects.push_back(*project);
  }

  if (config.auth_token) {
    if (auto payload = decode_org_token(config.auth_token->value)) {
      if (config.org && config.org->value != payload->org) {
        config.warnings.push_back("the auth token belongs to organization '" +
                                  payload->org + "'; using it instead of '" +
                                  config.org->value + "' (from " +
                                  config.org->source + ")");
      }
      config.org = Setting{payload->org, "the org auth token"};
      if (!payload->url.empty()) {
        if (config.url.source != "the default" &&
            normalize_base_url(config.url) !=
                normalize_base_url({payload->url, "the org auth token"})) {
          config.warnings.push_back("the auth token is for " + payload->url +
                                    "; using it instead of " +
                                    config.url.value + " (from " +
                                    config.url.source + ")");
        }
        config.url = Setting{payload->url, "the org auth token"};
      }
    }
  }

  config.url.value = normalize_base_url(config.url);
  if (config.org && inputs.validate_slugs) {
    validate_org(*config.org);
  }
  std::vector<Setting> unique;
  for (const auto &project : config.projects) {
    if (inputs.validate_slugs) {
      validate_project(project);
    }
    if (std::ranges::find(unique, project.value, &Setting::value) ==
        unique.end()) {
      unique.push_back(project);
    }
  }
  config.projects = std::move(unique);
  if (config.release) {
    validate_release(*config.release);
  }
  if (config.dist) {
    validate_dist(*config.dist);
    if (!config.release) {
      throw ConfigError("dist '" + config.dist->value + "' (from " +
                        config.dist->source +
                        ") needs a release: Sentry rejects a dist without "
                        "one; set --release or SENTRY_RELEASE, or drop the "
                        "dist");
    }
  }
  return config;
}

std::vector<std::string> values_of(const std::vector<Setting> &settings) {
  std::vector<std::string> values;
  for (const auto &setting : settings) {
    values.push_back(setting.value);
  }
  return values;
}

std::optional<std::string> value_of(const std::optional<Setting> &setting) {
  return setting ? std::optional<std::string>(setting->value) : std::nullopt;
}

} // namespace uploader::config
