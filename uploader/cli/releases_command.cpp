#include "uploader/cli/releases_command.hpp"

#include "uploader/cli/exit_codes.hpp"
#include "uploader/cli/json_output.hpp"
#include "uploader/cli/options_common.hpp"
#include "uploader/config/config.hpp"
#include "uploader/config/release_detect.hpp"
#include "uploader/http/api.hpp"
#include "uploader/http/client.hpp"
#include "uploader/releases/commit_refs.hpp"
#include "uploader/releases/commits.hpp"
#include "uploader/releases/dates.hpp"
#include "uploader/releases/release_api.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/redact.hpp"
#include "uploader/util/strings.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <iostream>

namespace uploader::cli {

namespace {

using nlohmann::json;
using releases::TimePoint;

constexpr std::array k_releases_options{
    k_org_option,
    k_project_option,
    OptionSpec{"release", 'r', Arity::value, "VERSION",
               "The release, instead of VERSION (default: SENTRY_RELEASE, "
               "then the CI's commit variable, then git rev-parse HEAD)"},
    OptionSpec{"sentry-url", 0, Arity::value, "URL",
               "Sentry server (default: SENTRY_URL or https://sentry.io/)"},
    k_auth_token_option,
    k_env_file_option,
    OptionSpec{"url", 'u', Arity::value, "URL",
               "new, finalize, deploy: URL of the release or deploy"},
    OptionSpec{"finalize", 0, Arity::flag, "",
               "new: mark the release as released right away"},
    OptionSpec{"released", 0, Arity::value, "TIME",
               "finalize: when it was released (default now)"},
    OptionSpec{"commit", 'c', Arity::repeated, "REPO@[PREV..]SHA",
               "set-commits: the commit a repository was built at"},
    OptionSpec{"auto", 0, Arity::flag, "",
               "set-commits: HEAD of the git checkout, in the repository of "
               "its remote (or the CI's commit and repository variables)"},
    OptionSpec{"clear", 0, Arity::flag, "",
               "set-commits: remove the release's commits"},
    OptionSpec{"env", 'e', Arity::value, "ENV",
               "deploy: environment deployed to (required)"},
    OptionSpec{"name", 'n', Arity::value, "NAME", "deploy: name of the deploy"},
    OptionSpec{"started", 0, Arity::value, "TIME",
               "deploy: when the deploy started"},
    OptionSpec{"finished", 0, Arity::value, "TIME",
               "deploy: when it finished (default now)"},
    OptionSpec{"time", 't', Arity::value, "SECONDS",
               "deploy: it took this long, ending now"},
    OptionSpec{"json", 0, Arity::flag, "",
               "Print the result as one JSON object on stdout"},
};

enum class Action { create, finalize, set_commits, deploy };

constexpr std::string_view k_new_options[] = {"url", "finalize"};
constexpr std::string_view k_finalize_options[] = {"url", "released"};
constexpr std::string_view k_set_commits_options[] = {"commit", "auto",
                                                      "clear"};
constexpr std::string_view k_deploy_options[] = {"env",     "name",     "url",
                                                 "started", "finished", "time"};

struct ActionSpec {
  std::string_view name;
  Action action;
  std::span<const std::string_view> options; // beyond the shared ones
};

constexpr ActionSpec k_actions[] = {
    {"new", Action::create, k_new_options},
    {"finalize", Action::finalize, k_finalize_options},
    {"set-commits", Action::set_commits, k_set_commits_options},
    {"deploy", Action::deploy, k_deploy_options},
};

std::string action_names() {
  std::string names;
  for (const auto &spec : k_actions) {
    names += names.empty() ? "" : ", ";
    names += spec.name;
  }
  return names;
}

const ActionSpec &find_action(const ParsedArgs &args) {
  if (args.positionals.empty()) {
    throw UsageError("releases needs an action: " + action_names() +
                     " (see 'sentry-sourcemaps releases --help')");
  }
  const std::string &name = args.positionals.front();
  auto it = std::ranges::find(k_actions, name, &ActionSpec::name);
  if (it == std::end(k_actions)) {
    throw UsageError("unknown releases action '" + name +
                     "'; accepted: " + action_names() +
                     " (see 'sentry-sourcemaps releases --help')");
  }
  return *it;
}

// Options of one action given to another are mistakes, not no-ops.
void check_action_options(const ParsedArgs &args, const ActionSpec &action) {
  for (const auto &spec : k_releases_options) {
    auto accepts = [&](const ActionSpec &a) {
      return std::ranges::find(a.options, spec.long_name) != a.options.end();
    };
    bool specific = std::ranges::any_of(k_actions, accepts);
    if (!specific || accepts(action) || !args.has(spec.long_name)) {
      continue;
    }
    std::string owners;
    for (const auto &other : k_actions) {
      if (accepts(other)) {
        owners += (owners.empty() ? "'releases " : "' and 'releases ") +
                  std::string(other.name);
      }
    }
    throw UsageError("option '--" + std::string(spec.long_name) +
                     "' does not apply to 'releases " +
                     std::string(action.name) + "'; it is for " + owners + "'");
  }
  if (args.positionals.size() > 2) {
    throw UsageError("releases " + std::string(action.name) +
                     " takes one VERSION, got '" + args.positionals[1] +
                     "' and '" + args.positionals[2] + "'");
  }
}

std::optional<TimePoint> time_option(const ParsedArgs &args,
                                     std::string_view name) {
  auto text = args.value(name);
  if (!text) {
    return std::nullopt;
  }
  auto parsed = releases::parse_timestamp(*text);
  if (!parsed) {
    throw UsageError("option '--" + std::string(name) + "' needs a time: " +
                     "Unix seconds, RFC 3339 (2026-06-29T13:28:57Z) or RFC "
                     "2822 (Mon, 29 Jun 2026 13:28:57 +0000), not '" +
                     *text + "'");
  }
  return parsed;
}

// What every action needs: the resolved configuration and release, a
// connection to Sentry, and where results go.
class Session {
public:
  Session(const ParsedArgs &args, const ActionSpec &action)
      : m_json(args.has("json")) {
    config::ConfigInputs inputs = config_inputs(args);
    // --url is the release's URL here, as in sentry-cli's subcommands.
    inputs.flags.url = args.value("sentry-url");
    m_getenv = inputs.getenv;
    m_config = load_command_config(args, inputs);
    m_release = resolve_release(args, action);
    require_org(m_config);
    if (!m_config.auth_token) {
      throw AuthError("no auth token: set SENTRY_AUTH_TOKEN in the "
                      "environment or in .env.sentry-build-plugin, with a "
                      "token that has the scopes project:releases and "
                      "org:read");
    }
    NetworkSettings network = network_settings(args, inputs.getenv);
    network.client.auth_token = m_config.auth_token->value;
    m_client.emplace(std::move(network.client));
    m_api.emplace(*m_client, m_config.url.value, network.retry,
                  [](std::string_view line) { util::log_warn(line); });
    m_releases.emplace(*m_api, org());
  }

  const std::string &org() const { return m_config.org->value; }
  const std::string &release() const { return m_release.value; }
  std::vector<std::string> projects() const {
    return config::values_of(m_config.projects);
  }
  const util::EnvGetter &getenv() const { return m_getenv; }
  releases::ReleaseApi &api() { return *m_releases; }

  // Prints one line for people, unless --json or --quiet.
  void say(const std::string &line) const {
    if (!m_json && util::log_level() <= util::LogLevel::info) {
      std::cout << util::redact(line) << "\n";
    }
  }

  // Prints the --json result, with what every action shares.
  void result(std::string_view action, json fields) const {
    if (!m_json) {
      return;
    }
    json out = {{"action", action},
                {"organization", org()},
                {"release", release()},
                {"releaseSource", m_release.source}};
    out.update(fields);
    std::cout << util::redact(out.dump()) << "\n";
  }

private:
  // VERSION, else --release > SENTRY_RELEASE > env file > CI > git.
  config::Setting resolve_release(const ParsedArgs &args,
                                  const ActionSpec &action) const {
    if (args.positionals.size() == 2) {
      config::Setting given{args.positionals[1], "the VERSION argument"};
      if (auto flag = args.value("release"); flag && *flag != given.value) {
        throw UsageError("releases " + std::string(action.name) +
                         " got two releases: '" + given.value +
                         "' and --release '" + *flag + "'; give one");
      }
      config::validate_release(given);
      return given;
    }
    return config::resolve_release(m_config.release, m_getenv, run_git);
  }

  bool m_json;
  util::EnvGetter m_getenv;
  config::Config m_config;
  config::Setting m_release;
  std::optional<http::Client> m_client;
  std::optional<http::Api> m_api;
  std::optional<releases::ReleaseApi> m_releases;
};

int run_new(const ParsedArgs &args, Session &session) {
  releases::NewRelease release;
  release.version = session.release();
  release.projects = session.projects();
  release.url = args.value("url");
  release.date_started = releases::now();
  if (args.has("finalize")) {
    release.date_released = release.date_started;
  }
  if (release.projects.empty()) {
    throw ConfigError("releases new needs a project: set --project, "
                      "SENTRY_PROJECT (environment or "
                      ".env.sentry-build-plugin) or [defaults] project in "
                      ".sentryclirc");
  }
  auto created = session.api().create(release);
  json released = created.release.value("dateReleased", json(nullptr));
  if (created.created) {
    session.say("Created release " + release.version + " in " + session.org() +
                " for " + util::join(release.projects) + " (201" +
                (args.has("finalize") ? ", finalized)" : ")"));
  } else {
    session.say("Release " + release.version + " already exists in " +
                session.org() +
                " with these projects; nothing changed "
                "(208 Already Reported)");
  }
  if (args.has("finalize") && released.is_null()) {
    util::log_warn("Sentry kept release " + release.version +
                   " unfinalized because it existed already; run "
                   "'sentry-sourcemaps releases finalize " +
                   release.version + "'");
  }
  session.result("new", {{"created", created.created},
                         {"status", created.created ? 201 : 208},
                         {"projects", release.projects},
                         {"dateReleased", released}});
  return static_cast<int>(ExitCode::ok);
}

int run_finalize(const ParsedArgs &args, Session &session) {
  TimePoint when = time_option(args, "released").value_or(releases::now());
  auto body =
      releases::finalize_json(session.projects(), args.value("url"), when);
  session.api().update(session.release(), body);
  std::string date = releases::format_rfc3339(when);
  session.say("Finalized release " + session.release() + " in " +
              session.org() + " (released " + date + ")");
  session.result("finalize", {{"dateReleased", date}});
  return static_cast<int>(ExitCode::ok);
}

// The refs to set (see releases::resolve_commit_refs).
std::vector<releases::CommitRef> commit_refs(const ParsedArgs &args,
                                             Session &session) {
  return releases::resolve_commit_refs(session.api(), session.org(),
                                       args.values("commit"), args.has("auto"),
                                       session.getenv(), run_git);
}

int run_set_commits(const ParsedArgs &args, Session &session) {
  bool clear = args.has("clear");
  std::vector<releases::CommitRef> refs;
  if (!clear) {
    refs = commit_refs(args, session);
    if (!session.projects().empty()) {
      // As sentry-cli does: the release may not exist yet.
      releases::NewRelease release;
      release.version = session.release();
      release.projects = session.projects();
      session.api().create(release);
    }
  }
  session.api().update(session.release(), releases::refs_json(refs));
  std::vector<std::string> shown;
  json listed = json::array();
  for (const auto &ref : refs) {
    shown.push_back(ref.repository + " " +
                    (ref.previous_commit ? *ref.previous_commit + ".." : "") +
                    ref.commit);
    listed.push_back({{"repository", ref.repository},
                      {"commit", ref.commit},
                      {"previousCommit", optional_json(ref.previous_commit)}});
  }
  session.say(clear ? "Cleared the commits of release " + session.release()
                    : "Set commits of release " + session.release() + ": " +
                          util::join(shown));
  session.result("set-commits", {{"cleared", clear}, {"refs", listed}});
  return static_cast<int>(ExitCode::ok);
}

int run_deploy(const ParsedArgs &args, Session &session) {
  releases::NewDeploy deploy;
  deploy.environment = *args.value("env");
  deploy.name = args.value("name");
  deploy.url = args.value("url");
  // Only explicit --project flags, as sentry-cli: a deploy without projects
  // applies to all of the release's projects.
  deploy.projects = args.values("project");
  if (auto seconds = integer_option(args, "time")) {
    deploy.date_finished = releases::now();
    deploy.date_started =
        *deploy.date_finished - std::chrono::seconds(*seconds);
  } else {
    deploy.date_started = time_option(args, "started");
    deploy.date_finished =
        time_option(args, "finished").value_or(releases::now());
  }
  json created = session.api().create_deploy(session.release(), deploy);
  session.say("Created deploy " +
              (deploy.name ? "'" + *deploy.name + "' " : "") + "of release " +
              session.release() + " to " + deploy.environment);
  session.result(
      "deploy",
      {{"environment", deploy.environment},
       {"name", optional_json(deploy.name)},
       {"id", created.value("id", json(nullptr))},
       {"dateStarted", created.value("dateStarted", json(nullptr))},
       {"dateFinished", created.value("dateFinished", json(nullptr))}});
  return static_cast<int>(ExitCode::ok);
}

// Usage errors of each action, found before any configuration is read.
void check_action_usage(const ParsedArgs &args, Action action) {
  switch (action) {
  case Action::create:
    break;
  case Action::finalize:
    time_option(args, "released");
    break;
  case Action::set_commits: {
    int modes = (args.has("commit") ? 1 : 0) + (args.has("auto") ? 1 : 0) +
                (args.has("clear") ? 1 : 0);
    if (modes != 1) {
      throw UsageError("releases set-commits needs exactly one of --commit "
                       "REPO@[PREV..]SHA (repeatable), --auto or --clear");
    }
    for (const auto &spec : args.values("commit")) {
      releases::parse_commit_spec(spec);
    }
    break;
  }
  case Action::deploy:
    if (!args.value("env")) {
      throw UsageError("releases deploy needs --env ENV (the environment "
                       "deployed to, e.g. production)");
    }
    releases::check_deploy_names(*args.value("env"), args.value("name"));
    if (args.has("time") && (args.has("started") || args.has("finished"))) {
      throw UsageError("--time sets both ends of the deploy; drop --started "
                       "and --finished, or --time");
    }
    integer_option(args, "time");
    time_option(args, "started");
    time_option(args, "finished");
    break;
  }
}

} // namespace

std::span<const OptionSpec> releases_options() { return k_releases_options; }

int run_releases(const ParsedArgs &args) {
  const ActionSpec &action = find_action(args);
  check_action_options(args, action);
  check_action_usage(args, action.action);
  Session session(args, action);
  switch (action.action) {
  case Action::create:
    return run_new(args, session);
  case Action::finalize:
    return run_finalize(args, session);
  case Action::set_commits:
    return run_set_commits(args, session);
  case Action::deploy:
    return run_deploy(args, session);
  }
  return static_cast<int>(ExitCode::failure);
}

} // namespace uploader::cli
