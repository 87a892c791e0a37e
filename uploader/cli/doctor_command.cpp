#include "uploader/cli/doctor_command.hpp"

#include "uploader/cli/exit_codes.hpp"
#include "uploader/cli/options_common.hpp"
#include "uploader/cli/read_session.hpp"
#include "uploader/doctor/doctor.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/redact.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <iostream>

namespace uploader::cli {

namespace {

constexpr std::array k_doctor_options{
    k_org_option,
    k_project_option,
    k_server_url_option,
    k_env_file_option,
    OptionSpec{"ignore", 'i', Arity::repeated, "GLOB",
               "Skip files and folders matching this glob"},
    k_ignore_file_option,
    OptionSpec{"expect-inject", 0, Arity::flag, "",
               "The upload injects debug IDs (upload --inject): missing ones "
               "are not a failure"},
    OptionSpec{"json", 0, Arity::flag, "", "Print the checklist as JSON"},
};

} // namespace

std::span<const OptionSpec> doctor_options() { return k_doctor_options; }

int run_doctor(const ParsedArgs &args) {
  if (args.positionals.size() > 1) {
    throw UsageError("doctor checks one folder, got '" + args.positionals[0] +
                     "' and '" + args.positionals[1] + "'");
  }
  doctor::DoctorOptions options;
  options.inputs = config_inputs(args);
  options.read_token = find_read_token(options.inputs);
  if (!args.positionals.empty()) {
    options.folder = util::path_from_utf8(args.positionals.front());
  }
  options.ignores = args.values("ignore");
  options.ignore_file_lines = read_ignore_files(args);
  options.expect_inject = args.has("expect-inject");
  NetworkSettings network = network_settings(args, options.inputs.getenv);
  options.client = std::move(network.client);
  options.retry = network.retry;
  if (!args.has("max-retries")) {
    // One quick retry: a checklist should answer fast, even when offline.
    options.retry.max_retries = std::min(options.retry.max_retries, 1);
    options.retry.initial_delay = std::chrono::milliseconds(200);
  }
  auto checks = doctor::run_doctor(options);
  bool failed = std::ranges::any_of(checks, [](const doctor::Check &check) {
    return check.status == doctor::Status::fail;
  });
  if (args.has("json")) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto &check : checks) {
      list.push_back({{"name", check.name},
                      {"status", doctor::to_string(check.status)},
                      {"message", check.message},
                      {"hint", check.hint}});
    }
    nlohmann::json out = {{"ok", !failed}, {"checks", list}};
    std::cout << util::redact(out.dump(2)) << "\n";
  } else {
    for (const auto &check : checks) {
      std::string mark = check.status == doctor::Status::pass   ? "[ok]  "
                         : check.status == doctor::Status::warn ? "[warn]"
                         : check.status == doctor::Status::fail ? "[FAIL]"
                                                                : "[skip]";
      std::cout << util::redact(mark + " " + check.name + ": " + check.message)
                << "\n";
      if (!check.hint.empty() && check.status != doctor::Status::pass) {
        std::cout << util::redact("       fix: " + check.hint) << "\n";
      }
    }
    size_t count = static_cast<size_t>(std::ranges::count(
        checks, doctor::Status::fail, &doctor::Check::status));
    std::cout << (failed ? std::to_string(count) + " check(s) failed"
                         : std::string("all checks passed"))
              << "\n";
  }
  return static_cast<int>(failed ? ExitCode::failure : ExitCode::ok);
}

} // namespace uploader::cli
