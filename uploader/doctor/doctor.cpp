#include "uploader/doctor/doctor.hpp"

#include "uploader/discovery/pairing.hpp"
#include "uploader/http/api.hpp"
#include "uploader/http/client.hpp"
#include "uploader/resolve/lookup.hpp"
#include "uploader/sourcemap/debug_id.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/process.hpp"
#include "uploader/util/redact.hpp"
#include "uploader/util/strings.hpp"

#include <nlohmann/json.hpp>

#include <map>

namespace uploader::doctor {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The first `at_most` items, and how many there are in all when more.
std::string join_some(const std::vector<std::string> &items,
                      size_t at_most = 5) {
  if (items.size() <= at_most) {
    return util::join(items);
  }
  return util::join({items.begin(), items.begin() + at_most}) + ", ... (" +
         std::to_string(items.size()) + " in all)";
}

Check make(std::string name, Status status, std::string message,
           std::string hint = "") {
  return {std::move(name), status, std::move(message), std::move(hint)};
}

// A GET that never throws: the response and its JSON (null when none).
struct Answer {
  http::Response response;
  json body;
  bool ok() const {
    return response.transport_error.empty() && response.status == 200;
  }
};

Answer get(http::Api &api, const std::string &path) {
  http::Request request;
  request.url = api.url(path);
  Answer answer{api.send(request), json()};
  if (answer.response.transport_error.empty()) {
    answer.body = json::parse(answer.response.body, nullptr, false);
    if (answer.body.is_discarded()) {
      answer.body = json();
    }
  }
  return answer;
}

std::string status_text(const Answer &answer) {
  if (!answer.response.transport_error.empty()) {
    return answer.response.transport_error;
  }
  std::string detail = http::error_detail(answer.response);
  return std::to_string(answer.response.status) +
         (detail.empty() ? "" : ": " + detail);
}

std::vector<std::string> scopes_of(const Answer &answer) {
  std::vector<std::string> scopes;
  if (answer.body.is_object() && answer.body.contains("auth") &&
      answer.body["auth"].is_object() &&
      answer.body["auth"].contains("scopes") &&
      answer.body["auth"]["scopes"].is_array()) {
    for (const auto &scope : answer.body["auth"]["scopes"]) {
      if (scope.is_string()) {
        scopes.push_back(scope.get<std::string>());
      }
    }
  }
  return scopes;
}

std::vector<std::string> slugs_of(const json &list) {
  std::vector<std::string> slugs;
  if (list.is_array()) {
    for (const auto &item : list) {
      if (item.is_object() && item.contains("slug") &&
          item["slug"].is_string()) {
        slugs.push_back(item["slug"].get<std::string>());
      }
    }
  }
  return slugs;
}

std::string did_you_mean(std::string_view wanted,
                         const std::vector<std::string> &known) {
  if (auto close = closest_slug(wanted, known)) {
    return " (did you mean '" + *close + "'?)";
  }
  return known.empty() ? "" : " (known: " + join_some(known) + ")";
}

// --- env file ------------------------------------------------------------

Check check_env_file(const config::ConfigInputs &inputs) {
  fs::path path = inputs.flags.env_file.value_or(config::k_default_env_file);
  if (path.is_relative()) {
    path = inputs.cwd / path;
  }
  std::string name = "env file";
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return make(name, Status::skip,
                "no " + path.filename().string() + " in " +
                    path.parent_path().string() +
                    "; settings come from the environment");
  }
  std::string dir = path.parent_path().string();
  if (!util::capture_output({"git", "-C", dir, "rev-parse", "--git-dir"})) {
    return make(name, Status::pass,
                path.string() + " exists (not in a git work tree)");
  }
  if (util::capture_output(
          {"git", "-C", dir, "ls-files", "--error-unmatch", path.string()})) {
    return make(name, Status::fail,
                path.string() + " is committed to git, token and all",
                "run 'git rm --cached " + path.filename().string() +
                    "', add it to .gitignore and revoke the token it held");
  }
  if (!util::capture_output(
          {"git", "-C", dir, "check-ignore", "-q", path.string()})) {
    return make(name, Status::fail,
                path.string() + " is not ignored by git, so its token could "
                                "be committed",
                "add the line '" + path.filename().string() +
                    "' to .gitignore");
  }
  return make(name, Status::pass, path.string() + " exists and git ignores it");
}

// --- server and tokens ---------------------------------------------------

struct Server {
  std::unique_ptr<http::Client> client;
  std::unique_ptr<http::Api> api;
};

Server connect(const DoctorOptions &options, const std::string &url,
               const std::optional<std::string> &token) {
  http::ClientOptions client = options.client;
  client.auth_token = token;
  Server server;
  server.client = std::make_unique<http::Client>(std::move(client));
  server.api = std::make_unique<http::Api>(
      *server.client, url, options.retry,
      [](std::string_view line) { util::log_debug(line); });
  return server;
}

Check check_url(const config::Config &config, const Answer &index) {
  std::string url = config.url.value;
  std::string from = " (from " + config.url.source + ")";
  if (!index.response.transport_error.empty()) {
    return make("server", Status::fail,
                "cannot reach " + url + from + ": " +
                    index.response.transport_error,
                "check SENTRY_URL (self-hosted: https://sentry.example.com/, "
                "no path), the network, proxy and CA certificates");
  }
  if (!index.body.is_object()) {
    return make("server", Status::fail,
                url + from + " answered GET /api/0/ with " +
                    std::to_string(index.response.status) +
                    " and no JSON: it is not a Sentry API",
                "point SENTRY_URL at the Sentry server itself, without a path");
  }
  return make("server", Status::pass, url + from + " is a reachable Sentry");
}

// Returns the token's scopes when it is valid (else nullopt) and adds the
// token's lines.
std::optional<std::vector<std::string>>
check_upload_token(const config::Config &config, const Answer &index,
                   std::vector<Check> &checks) {
  if (!config.auth_token) {
    checks.push_back(make("upload token", Status::fail, "no SENTRY_AUTH_TOKEN",
                          "set SENTRY_AUTH_TOKEN in the environment or in "
                          ".env.sentry-build-plugin (an organization token, "
                          "or one with project:releases and org:read)"));
    return std::nullopt;
  }
  std::string from = " (from " + config.auth_token->source + ")";
  if (!index.response.transport_error.empty()) {
    checks.push_back(make("upload token", Status::skip,
                          "not checked: the server is unreachable"));
    return std::nullopt;
  }
  if (index.response.status == 401 || index.response.status == 403) {
    checks.push_back(make("upload token", Status::fail,
                          "Sentry rejects the auth token" + from + " (" +
                              status_text(index) + ")",
                          "create a new token (Settings > Auth Tokens) and "
                          "replace it; check it was copied whole"));
    return std::nullopt;
  }
  if (!index.ok() || !index.body.is_object() || !index.body.contains("auth") ||
      !index.body["auth"].is_object()) {
    checks.push_back(make("upload token", Status::fail,
                          "Sentry does not recognise the auth token" + from +
                              " (GET /api/0/ answered " + status_text(index) +
                              ")",
                          "check SENTRY_URL is the server the token is for"));
    return std::nullopt;
  }
  auto scopes = scopes_of(index);
  checks.push_back(make("upload token", Status::pass,
                        "Sentry accepts the auth token" + from));
  return scopes;
}

void check_upload_scopes(const std::vector<std::string> &scopes,
                         std::vector<Check> &checks) {
  std::string name = "upload token scopes";
  auto missing = missing_upload_scopes(scopes);
  if (!missing.empty()) {
    checks.push_back(
        make(name, Status::fail,
             "the token lacks " + join_some(missing) + " (it has " +
                 (scopes.empty() ? "none" : join_some(scopes, 20)) + ")",
             "create a token with project:releases and org:read, "
             "or an organization token"));
    return;
  }
  auto excess = excess_upload_scopes(scopes);
  if (!excess.empty()) {
    checks.push_back(
        make(name, Status::warn,
             "the token can do more than upload: " + join_some(excess, 20),
             "a build only needs project:releases and org:read; "
             "a leaked build token with " +
                 excess.front() +
                 " can change your organization. Create a "
                 "narrower one"));
    return;
  }
  checks.push_back(make(name, Status::pass,
                        "sufficient and no more: " + join_some(scopes, 20)));
}

void check_read_token(const DoctorOptions &options,
                      const config::Config &config,
                      std::vector<Check> &checks) {
  const std::optional<config::Setting> &token = options.read_token;
  std::string name = "read token";
  if (!token) {
    checks.push_back(make(name, Status::skip,
                          "SENTRY_READ_TOKEN is not set (only 'issues' and "
                          "dashboards need it)"));
    return;
  }
  if (config.auth_token && config.auth_token->value == token->value) {
    checks.push_back(make(name, Status::warn,
                          "SENTRY_READ_TOKEN is the upload token",
                          "give dashboards their own token with only "
                          "event:read and project:read"));
    return;
  }
  Server server = connect(options, config.url.value, token->value);
  Answer index = get(*server.api, http::endpoint::index());
  std::string from = " (from " + token->source + ")";
  if (!index.ok() || !index.body.is_object() || !index.body.contains("auth") ||
      !index.body["auth"].is_object()) {
    checks.push_back(make(name, Status::fail,
                          "Sentry rejects the read token" + from + " (" +
                              status_text(index) + ")",
                          "create a token with event:read and project:read"));
    return;
  }
  auto scopes = scopes_of(index);
  auto missing = missing_read_scopes(scopes);
  if (!missing.empty()) {
    checks.push_back(make(name, Status::fail,
                          "the read token lacks " + join_some(missing),
                          "create a token with event:read and project:read"));
    return;
  }
  auto write = read_token_write_scopes(scopes);
  if (!write.empty()) {
    checks.push_back(make(name, Status::warn,
                          "the read token can write: " + join_some(write, 20),
                          "a dashboard's token should only read: create one "
                          "with event:read and project:read"));
    return;
  }
  checks.push_back(
      make(name, Status::pass,
           "valid and read-only" + from + ": " + join_some(scopes, 20)));
}

// --- organization and projects -------------------------------------------

// Adds the organization line; returns whether the organization exists.
bool check_org(http::Api *api, const config::Config &config,
               std::vector<Check> &checks) {
  std::string name = "organization";
  if (!config.org) {
    checks.push_back(make(name, Status::fail, "no organization configured",
                          "set SENTRY_ORG or --org (the slug in your Sentry "
                          "URL: https://sentry.io/organizations/<slug>/)"));
    return false;
  }
  const config::Setting &org = *config.org;
  try {
    config::validate_org(org);
  } catch (const ConfigError &error) {
    checks.push_back(
        make(name, Status::fail, error.what(), "correct it in " + org.source));
    return false;
  }
  if (api == nullptr) {
    checks.push_back(make(name, Status::skip,
                          "'" + org.value + "' not checked: no valid token"));
    return false;
  }
  Answer answer = get(*api, http::endpoint::organization(org.value));
  if (answer.ok()) {
    checks.push_back(
        make(name, Status::pass,
             "'" + org.value + "' exists (from " + org.source + ")"));
    return true;
  }
  if (answer.response.status == 404) {
    Answer list = get(*api, http::endpoint::organizations());
    checks.push_back(make(
        name, Status::fail,
        "organization '" + org.value + "' (from " + org.source +
            ") does not exist" + did_you_mean(org.value, slugs_of(list.body)),
        "use the slug from your Sentry URL, in " + org.source));
    return false;
  }
  checks.push_back(make(name, Status::fail,
                        "cannot read organization '" + org.value + "' (" +
                            status_text(answer) + ")",
                        "the token needs org:read"));
  return false;
}

void check_projects(http::Api *api, const config::Config &config,
                    bool org_exists, std::vector<Check> &checks) {
  if (config.projects.empty()) {
    checks.push_back(make("project", Status::fail, "no project configured",
                          "set SENTRY_PROJECT or --project"));
    return;
  }
  std::optional<std::vector<std::string>> known;
  for (const auto &project : config.projects) {
    std::string name = "project";
    try {
      config::validate_project(project);
    } catch (const ConfigError &error) {
      checks.push_back(make(name, Status::fail, error.what(),
                            "correct it in " + project.source));
      continue;
    }
    if (api == nullptr || !org_exists) {
      checks.push_back(make(name, Status::skip,
                            "'" + project.value +
                                "' not checked: the organization is not "
                                "confirmed"));
      continue;
    }
    const std::string &org = config.org->value;
    Answer answer = get(*api, http::endpoint::project(org, project.value));
    if (answer.ok()) {
      checks.push_back(
          make(name, Status::pass,
               "'" + project.value + "' exists (from " + project.source + ")"));
      continue;
    }
    // An upload token (project:releases, org:read) may not read project
    // details; the organization's project list needs only org:read.
    if (!known) {
      known =
          slugs_of(get(*api, http::endpoint::organization_projects(org)).body);
    }
    if (std::ranges::find(*known, project.value) != known->end()) {
      checks.push_back(
          make(name, Status::pass,
               "'" + project.value + "' exists in " + config.org->value));
      continue;
    }
    checks.push_back(make(
        name, Status::fail,
        "project '" + project.value + "' (from " + project.source +
            ") does not exist in " + config.org->value +
            did_you_mean(project.value, *known),
        "use the project's slug (Settings > Projects), in " + project.source));
  }
}

// --- the build output ----------------------------------------------------

void check_folder(const DoctorOptions &options, std::vector<Check> &checks) {
  const fs::path &folder = *options.folder;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    checks.push_back(make("files", Status::fail,
                          "folder " + folder.string() + " does not exist",
                          "build the frontend first, or pass its output "
                          "folder (e.g. dist/)"));
    return;
  }
  discovery::WalkOptions walk_options;
  walk_options.roots = {folder.string()};
  walk_options.extensions = discovery::k_upload_extensions;
  walk_options.ignores = options.ignores;
  walk_options.ignore_file_lines = options.ignore_file_lines;
  discovery::Pairing pairing;
  try {
    pairing = discovery::pair_files(walk_options);
  } catch (const Error &error) {
    checks.push_back(make("files", Status::fail, error.what(),
                          "fix the build output or exclude the file with "
                          "--ignore"));
    return;
  }
  std::vector<fs::path> maps;
  std::vector<std::pair<fs::path, fs::path>> links; // JS, its map
  std::map<fs::path, std::string> debug_ids;
  std::vector<std::string> unpaired;
  for (const auto &file : pairing.files) {
    if (file.debug_id) {
      debug_ids[file.file.path] = *file.debug_id;
    }
    if (file.is_map) {
      maps.push_back(file.file.path);
    } else if (file.map) {
      links.emplace_back(file.file.path, pairing.files[*file.map].file.path);
    } else {
      unpaired.push_back("~/" + file.file.relative); // as uploaded
    }
  }
  size_t source_count = pairing.files.size() - maps.size();
  if (source_count == 0) {
    checks.push_back(make("files", Status::fail,
                          "no JavaScript files in " + folder.string(),
                          "pass the bundler's output folder (e.g. dist/)"));
    return;
  }
  std::string counts = std::to_string(source_count) + " JavaScript files, " +
                       std::to_string(maps.size()) + " source maps, " +
                       std::to_string(links.size()) + " paired";
  if (links.empty()) {
    checks.push_back(
        make("files", Status::fail, counts + ": no JavaScript file has a map",
             "enable source maps in the bundler (Vite: build.sourcemap: "
             "'hidden'); if an earlier 'upload --delete-after' removed them, "
             "rebuild"));
    return;
  }
  checks.push_back(make(
      "files", unpaired.empty() ? Status::pass : Status::warn,
      counts +
          (unpaired.empty() ? "" : "; without a map: " + join_some(unpaired)),
      unpaired.empty() ? "" : "errors in these files will stay minified"));

  std::vector<std::string> broken;
  std::vector<std::string> no_content;
  for (const auto &map : maps) {
    try {
      resolve::MapIndex index(util::read_file(map));
      auto missing = index.sources_without_content();
      no_content.insert(no_content.end(), missing.begin(), missing.end());
    } catch (const Error &error) {
      broken.push_back(map.string() + ": " + error.what());
    }
  }
  checks.push_back(
      broken.empty()
          ? make("source maps", Status::pass,
                 std::to_string(maps.size()) + " maps parse and decode")
          : make("source maps", Status::fail,
                 std::to_string(broken.size()) +
                     " maps are malformed: " + join_some(broken, 3),
                 "rebuild; if it persists, report it to the bundler"));
  checks.push_back(
      no_content.empty()
          ? make("sources content", Status::pass,
                 "every source has its content in the map")
          : make(
                "sources content", Status::fail,
                std::to_string(no_content.size()) +
                    " sources have no sourcesContent: " + join_some(no_content),
                "Sentry then shows no code for them: keep sourcesContent "
                "(Vite/Rollup include it by default; webpack: no "
                "'nosources-' devtool)"));

  std::vector<std::string> without;
  std::vector<std::string> mismatched;
  for (const auto &[js_path, map_path] : links) {
    auto js = debug_ids.find(js_path);
    auto map = debug_ids.find(map_path);
    std::string url = js_path.generic_string();
    if (js == debug_ids.end()) {
      without.push_back(url);
    } else if (map != debug_ids.end() && map->second != js->second) {
      mismatched.push_back(url);
    }
  }
  if (!mismatched.empty()) {
    checks.push_back(make("debug ids", Status::fail,
                          "JS file and map disagree on the debug ID: " +
                              join_some(mismatched),
                          "rebuild, then inject once (upload --inject)"));
  } else if (!without.empty() && options.expect_inject) {
    checks.push_back(make("debug ids", Status::pass,
                          std::to_string(without.size()) +
                              " JS files get their debug ID from upload "
                              "--inject"));
  } else if (!without.empty()) {
    checks.push_back(make(
        "debug ids", Status::fail,
        std::to_string(without.size()) + " of " + std::to_string(links.size()) +
            " JS files with a map have no debug ID: " + join_some(without),
        "run 'sentry-sourcemaps inject " + folder.string() +
            "' (or upload --inject) and deploy the injected "
            "files"));
  } else {
    checks.push_back(make("debug ids", Status::pass,
                          "all " + std::to_string(links.size()) +
                              " JS files with a map carry a debug ID"));
  }
}

} // namespace

std::vector<Check> run_doctor(const DoctorOptions &options) {
  std::vector<Check> checks;
  checks.push_back(check_env_file(options.inputs));
  config::ConfigInputs inputs = options.inputs;
  inputs.validate_slugs = false; // each slug becomes its own line
  std::optional<config::Config> config;
  try {
    config = config::load_config(inputs);
  } catch (const ConfigError &error) {
    checks.push_back(make("configuration", Status::fail, error.what()));
  }
  if (config) {
    if (config->auth_token) {
      util::register_secret(config->auth_token->value);
    }
    if (options.read_token) {
      util::register_secret(options.read_token->value);
    }
    for (const auto &warning : config->warnings) {
      checks.push_back(make("configuration", Status::warn, warning));
    }
    std::optional<std::string> token;
    if (config->auth_token) {
      token = config->auth_token->value;
    }
    Server server = connect(options, config->url.value, token);
    Answer index = get(*server.api, http::endpoint::index());
    checks.push_back(check_url(*config, index));
    auto scopes = check_upload_token(*config, index, checks);
    if (scopes) {
      check_upload_scopes(*scopes, checks);
    }
    check_read_token(options, *config, checks);
    http::Api *api = scopes ? server.api.get() : nullptr;
    bool org_exists = check_org(api, *config, checks);
    check_projects(api, *config, org_exists, checks);
  }
  if (options.folder) {
    check_folder(options, checks);
  }
  return checks;
}

} // namespace uploader::doctor
