#include "uploader/cli/issues_command.hpp"

#include "uploader/cli/exit_codes.hpp"
#include "uploader/cli/options_common.hpp"
#include "uploader/cli/read_session.hpp"
#include "uploader/issues/issues_api.hpp"
#include "uploader/issues/symbolication.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/redact.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <iostream>

namespace uploader::cli {

namespace {

using nlohmann::json;

constexpr std::array k_issues_options{
    OptionSpec{"query", 0, Arity::value, "QUERY",
               "Sentry search query (default is:unresolved)"},
    OptionSpec{"limit", 'n', Arity::value, "N",
               "Show at most N issues (default 25)"},
    OptionSpec{"check-symbolication", 0, Arity::flag, "",
               "Read each issue's latest event and fail unless its in-app "
               "frames point at original sources"},
    OptionSpec{"json", 0, Arity::flag, "", "Print JSON on stdout"},
    k_org_option,
    k_project_option,
    k_server_url_option,
    k_env_file_option,
};

json issue_json(const issues::Issue &issue) {
  return {{"id", issue.id},
          {"shortId", issue.short_id},
          {"title", issue.title},
          {"culprit", issue.culprit},
          {"permalink", issue.permalink},
          {"level", issue.level},
          {"status", issue.status},
          {"count", issue.count},
          {"userCount", issue.user_count},
          {"firstSeen", issue.first_seen},
          {"lastSeen", issue.last_seen},
          {"project", issue.project},
          {"metadata",
           {{"type", issue.metadata_type}, {"value", issue.metadata_value}}}};
}

json verdict_json(const issues::EventVerdict &verdict) {
  json frames = json::array();
  for (const auto &frame : verdict.frames) {
    frames.push_back({{"location", frame.location},
                      {"function", frame.function},
                      {"symbolicated", frame.symbolicated},
                      {"reason", frame.reason}});
  }
  return {{"eventID", verdict.event_id},
          {"symbolicated", verdict.symbolicated},
          {"frames", frames}};
}

std::string clip(const std::string &text, size_t width) {
  return text.size() <= width ? text : text.substr(0, width - 3) + "...";
}

void print_table(const std::vector<issues::Issue> &list) {
  struct Column {
    const char *title;
    std::string (*value)(const issues::Issue &);
  };
  const Column columns[] = {
      {"ID", [](const issues::Issue &i) { return i.short_id; }},
      {"LEVEL", [](const issues::Issue &i) { return i.level; }},
      {"EVENTS",
       [](const issues::Issue &i) { return std::to_string(i.count); }},
      {"USERS",
       [](const issues::Issue &i) { return std::to_string(i.user_count); }},
      {"LAST SEEN", [](const issues::Issue &i) { return i.last_seen; }},
      {"TITLE", [](const issues::Issue &i) { return clip(i.title, 80); }},
  };
  std::vector<size_t> widths;
  for (const auto &column : columns) {
    size_t width = std::string_view(column.title).size();
    for (const auto &issue : list) {
      width = std::max(width, column.value(issue).size());
    }
    widths.push_back(width);
  }
  auto row = [&](auto cell) {
    std::string line;
    for (size_t i = 0; i < std::size(columns); ++i) {
      std::string text = cell(columns[i]);
      line += text;
      if (i + 1 < std::size(columns)) {
        line += std::string(widths[i] - text.size() + 2, ' ');
      }
    }
    std::cout << util::redact(line) << "\n";
  };
  row([](const Column &c) { return std::string(c.title); });
  for (const auto &issue : list) {
    row([&](const Column &c) { return c.value(issue); });
  }
}

} // namespace

std::span<const OptionSpec> issues_options() { return k_issues_options; }

int run_issues(const ParsedArgs &args) {
  size_t limit =
      static_cast<size_t>(integer_option(args, "limit").value_or(25));
  if (limit == 0) {
    throw UsageError("--limit needs at least 1");
  }
  if (!args.positionals.empty()) {
    throw UsageError("issues takes no arguments, got '" +
                     args.positionals.front() + "'");
  }
  config::ConfigInputs inputs = config_inputs(args);
  auto token = find_read_token(inputs);
  if (!token) {
    throw AuthError("no read token: set SENTRY_READ_TOKEN (environment or "
                    ".env.sentry-build-plugin) to a token with the scopes "
                    "event:read and project:read; the upload token is never "
                    "used to read issues");
  }
  ReadSession session(args, *token);
  if (session.config().auth_token &&
      session.config().auth_token->value == token->value) {
    util::log_warn("SENTRY_READ_TOKEN is the upload token; give dashboards "
                   "their own token with only event:read and project:read");
  }
  std::string query = args.value("query").value_or("is:unresolved");
  auto list = issues::list_issues(session.api(), session.org(),
                                  session.project(), query, limit);
  bool check = args.has("check-symbolication");
  std::vector<issues::EventVerdict> verdicts;
  bool all_ok = true;
  size_t judged = 0;
  if (check) {
    for (const auto &issue : list) {
      std::string event = issues::latest_event(session.api(), issue.id);
      verdicts.push_back(
          issues::judge_event(event, "latest event of " + issue.short_id));
      all_ok = all_ok && verdicts.back().symbolicated;
      judged += verdicts.back().frames.empty() ? 0 : 1;
    }
  }
  if (args.has("json")) {
    json out = json::array();
    for (size_t i = 0; i < list.size(); ++i) {
      out.push_back(issue_json(list[i]));
      if (check) {
        out.back()["latestEvent"] = verdict_json(verdicts[i]);
      }
    }
    std::cout << util::redact(out.dump(2)) << "\n";
  } else if (list.empty()) {
    std::cout << "no issues in " << session.org() << "/" << session.project()
              << " match '" << query << "'\n";
  } else if (!check) {
    print_table(list);
  } else {
    for (size_t i = 0; i < list.size(); ++i) {
      const auto &verdict = verdicts[i];
      std::cout << (verdict.frames.empty() ? "[skip] "
                    : verdict.symbolicated ? "[ok]   "
                                           : "[FAIL] ")
                << list[i].short_id << "  " << clip(list[i].title, 70) << "\n";
      if (verdict.frames.empty()) {
        std::cout << "       no in-app JavaScript frames in the latest event\n";
      }
      for (const auto &frame : verdict.frames) {
        std::cout << "       " << (frame.symbolicated ? "ok  " : "MIN ")
                  << frame.location
                  << (frame.function.empty() ? "" : " in " + frame.function)
                  << ": " << frame.reason << "\n";
      }
    }
  }
  if (!check) {
    return static_cast<int>(ExitCode::ok);
  }
  if (!all_ok) {
    util::log(util::LogLevel::error,
              "the latest events still show minified frames: Sentry "
              "did not apply the source maps; run 'sentry-sourcemaps doctor "
              "DIR' and check that the deployed files are the ones uploaded "
              "(same debug IDs)");
    return static_cast<int>(ExitCode::failure);
  }
  util::log_info(judged == 0
                     ? "nothing to check: no event has in-app "
                       "JavaScript frames"
                     : "the in-app frames of " + std::to_string(judged) +
                           " latest event(s) point at original "
                           "sources");
  return static_cast<int>(ExitCode::ok);
}

} // namespace uploader::cli
