#include "uploader/cli/upload_command.hpp"

#include "uploader/cli/exit_codes.hpp"
#include "uploader/cli/json_output.hpp"
#include "uploader/cli/options_common.hpp"
#include "uploader/config/config.hpp"
#include "uploader/config/release_detect.hpp"
#include "uploader/http/client.hpp"
#include "uploader/releases/commits.hpp"
#include "uploader/upload/pipeline.hpp"
#include "uploader/upload/upload_cache.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/redact.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <iostream>
#include <thread>

namespace uploader::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array k_upload_options{
    k_org_option,
    k_project_option,
    OptionSpec{"release", 'r', Arity::value, "RELEASE",
               "Release to associate the files with"},
    OptionSpec{"dist", 'd', Arity::value, "DIST",
               "Distribution (needs a release)"},
    k_server_url_option,
    k_auth_token_option,
    k_env_file_option,
    OptionSpec{"url-prefix", 'u', Arity::value, "PREFIX",
               "Prefix of the artifact URLs (default ~/)"},
    OptionSpec{"strip-prefix", 0, Arity::repeated, "PREFIX",
               "Remove PREFIX from the start of the maps' source paths "
               "(rewrites the uploaded maps, not the files)"},
    OptionSpec{"strip-common-prefix", 0, Arity::flag, "",
               "Remove the folder prefix that all absolute source paths of a "
               "map share (after the --strip-prefix ones)"},
    OptionSpec{"source-root", 0, Arity::value, "DIR",
               "Name the maps' sources relative to this folder, as Sentry "
               "shows them (default: the working directory)"},
    OptionSpec{"keep-source-paths", 0, Arity::flag, "",
               "Keep the maps' source paths as built (sentry-cli's "
               "behaviour; --strip-prefix still applies)"},
    OptionSpec{"no-inline-sources", 0, Arity::flag, "",
               "Do not add missing sourcesContent from the source files"},
    OptionSpec{"no-rewrite", 0, Arity::flag, "",
               "Upload the maps exactly as they are on disk: no source "
               "paths, no flattened index maps, no added source texts"},
    OptionSpec{"ext", 'x', Arity::repeated, "EXT",
               "File extensions to take from folders (default: js cjs mjs "
               "map jsbundle bundle; replaces the defaults)"},
    OptionSpec{"ignore", 'i', Arity::repeated, "GLOB",
               "Skip files and folders matching this glob"},
    k_ignore_file_option,
    OptionSpec{"note", 0, Arity::value, "TEXT", "Note stored in the bundle"},
    OptionSpec{"wait", 0, Arity::flag, "",
               "Wait until Sentry processed the bundle (the default)"},
    OptionSpec{
        "no-wait", 0, Arity::flag, "",
        "Return once the bundle is uploaded, before Sentry processed it"},
    OptionSpec{"wait-timeout", 0, Arity::value, "SECONDS",
               "Give up waiting after this long (default 300)"},
    OptionSpec{"wait-for", 0, Arity::value, "SECONDS",
               "sentry-cli's spelling of --wait --wait-timeout SECONDS"},
    OptionSpec{"debug-id-reference", 0, Arity::flag, "",
               "Give a JS file without a debug ID the one of its source map"},
    OptionSpec{"no-sourcemap-reference", 0, Arity::flag, "",
               "Do not tell Sentry which map belongs to which JS file "
               "(the `sourcemap` header; debug IDs still link them)"},
    OptionSpec{"inject", 0, Arity::flag, "",
               "First inject debug IDs into the JS files and maps (as the "
               "inject command does)"},
    OptionSpec{"delete-after", 0, Arity::flag, "",
               "After Sentry confirmed the bundle, delete the uploaded maps "
               "and the sourceMappingURL comments that point at them"},
    OptionSpec{"delete-glob", 0, Arity::repeated, "GLOB",
               "With --delete-after: delete these files (relative to PATH) "
               "instead of the uploaded maps"},
    OptionSpec{"keep-source-mapping-url", 0, Arity::flag, "",
               "With --delete-after: keep the sourceMappingURL comments"},
    OptionSpec{"on-failure", 0, Arity::value, "fail|warn",
               "fail (default): exit non-zero, maps untouched; warn: move the "
               "maps to --pending-dir, exit 0"},
    OptionSpec{"pending-dir", 0, Arity::value, "DIR",
               "Where --on-failure warn parks maps; uploaded first next time"},
    OptionSpec{"stamp-file", 0, Arity::value, "FILE",
               "Skip all work when nothing changed since the upload that "
               "wrote this stamp"},
    OptionSpec{"skip-without-token", 0, Arity::flag, "",
               "Without a token, print one line and exit 0, touching nothing"},
    OptionSpec{"json", 0, Arity::flag, "", "Print a JSON summary on stdout"},
    OptionSpec{"dry-run", 0, Arity::flag, "",
               "Build the bundle and report; send nothing"},
    OptionSpec{"bundle-out", 0, Arity::value, "FILE",
               "Also write the artifact bundle to FILE"},
    OptionSpec{"max-request-size", 0, Arity::value, "BYTES",
               "Cap each chunk request (for proxies with small body limits)"},
    OptionSpec{"concurrency", 0, Arity::value, "N",
               "Requests in flight (default: what the server allows)"},
    OptionSpec{"no-cache", 0, Arity::flag, "",
               "Rebuild the bundle even if the files have not changed"},
    OptionSpec{"compression-level", 0, Arity::value, "1-12",
               "Deflate level of the bundle's files (default 1, fastest; "
               "6 sends about 10 % fewer bytes, as few as sentry-cli)"},
    OptionSpec{"create-release", 0, Arity::flag, "",
               "Create the release before the upload (default: only when "
               "the server or --set-commits needs it)"},
    OptionSpec{"set-commits", 0, Arity::value, "auto|REPO@SHA",
               "Before the upload, set the release's commit: HEAD of the "
               "checkout (or the CI's commit) with 'auto', else this one"},
    OptionSpec{"finalize", 0, Arity::flag, "",
               "After Sentry confirmed the upload, mark the release as "
               "released"},
    OptionSpec{"deploy", 0, Arity::value, "ENV",
               "After the upload (and --finalize), record a deploy of the "
               "release to this environment"},
};

// --create-release, --set-commits, --finalize, --deploy, checked before
// anything is read or sent.
upload::ReleaseSteps read_release_steps(const ParsedArgs &args) {
  upload::ReleaseSteps steps;
  steps.create = args.has("create-release");
  steps.finalize = args.has("finalize");
  steps.set_commits = args.value("set-commits");
  if (steps.set_commits && *steps.set_commits != "auto") {
    releases::parse_commit_spec(*steps.set_commits);
  }
  steps.deploy_environment = args.value("deploy");
  if (steps.deploy_environment) {
    releases::check_deploy_names(*steps.deploy_environment, std::nullopt,
                                 "--deploy");
  }
  if ((steps.finalize || steps.deploy_environment) && args.has("no-wait")) {
    throw UsageError("--finalize and --deploy run only after Sentry "
                     "confirmed the upload; drop --no-wait");
  }
  return steps;
}

// How the uploaded copies of the maps are prepared.
bundle::MapRewriteSettings map_rewrite_settings(const ParsedArgs &args) {
  bundle::MapRewriteSettings settings;
  settings.strip_prefixes = args.values("strip-prefix");
  if (args.has("strip-common-prefix")) {
    settings.strip_prefixes.push_back("~"); // as sentry-cli passes it
  }
  settings.rewrite_paths = !args.has("keep-source-paths");
  settings.inline_sources = !args.has("no-inline-sources");
  if (auto root = args.value("source-root")) {
    std::error_code ec;
    if (!fs::is_directory(util::path_from_utf8(*root), ec)) {
      throw UsageError("--source-root " + *root +
                       ": no such folder; pass the folder your sources are "
                       "in (the project root)");
    }
    settings.source_root = util::path_from_utf8(*root);
  }
  if (args.has("no-rewrite")) {
    bool other = !settings.strip_prefixes.empty() || args.has("source-root") ||
                 args.has("keep-source-paths") || args.has("no-inline-sources");
    if (other) {
      util::log_warn("--no-rewrite: the maps are uploaded unchanged; "
                     "--strip-prefix, --strip-common-prefix, --source-root, "
                     "--keep-source-paths and --no-inline-sources are "
                     "ignored");
    }
    settings.enabled = false;
  }
  return settings;
}

// What the files are and what to do with them (everything but where they
// go, which the configuration says).
void read_file_settings(const ParsedArgs &args, upload::UploadRequest &r) {
  r.plan.roots = args.positionals;
  if (r.plan.roots.empty()) {
    throw UsageError("upload needs the folder or files to upload, e.g. "
                     "'sentry-sourcemaps upload dist/'");
  }
  r.plan.extensions = extensions_option(args, discovery::k_upload_extensions);
  r.plan.ignores = args.values("ignore");
  r.plan.ignore_file_lines = read_ignore_files(args);
  r.plan.url_prefix = args.value("url-prefix").value_or("~");
  r.plan.sourcemap_headers = !args.has("no-sourcemap-reference");
  r.plan.debug_id_reference = args.has("debug-id-reference");
  r.bundles.map_rewrite = map_rewrite_settings(args);
  r.dry_run = args.has("dry-run");
  r.inject = args.has("inject");
  r.delete_after = args.has("delete-after");
  r.strip_comments = !args.has("keep-source-mapping-url");
  r.delete_globs = args.values("delete-glob");
  if (!r.delete_globs.empty() && !r.delete_after) {
    throw UsageError("--delete-glob only makes sense with --delete-after");
  }
}

// How failures, reruns and the transfer behave.
void read_run_settings(const ParsedArgs &args, upload::UploadRequest &r) {
  if (auto mode = args.value("on-failure")) {
    if (*mode != "fail" && *mode != "warn") {
      throw UsageError("--on-failure takes 'fail' or 'warn', not '" + *mode +
                       "'");
    }
    r.on_failure =
        *mode == "warn" ? upload::OnFailure::warn : upload::OnFailure::fail;
  }
  if (auto dir = args.value("pending-dir")) {
    r.pending_dir = util::path_from_utf8(*dir);
  }
  if (r.on_failure == upload::OnFailure::warn && !r.pending_dir) {
    throw UsageError("--on-failure warn needs --pending-dir DIR: the folder "
                     "(outside the deployed one) where maps wait for a retry");
  }
  if (auto stamp = args.value("stamp-file")) {
    r.stamp_file = util::path_from_utf8(*stamp);
  }
  if (args.has("wait") && args.has("no-wait")) {
    throw UsageError("--wait and --no-wait contradict each other; give one");
  }
  r.bundles.transfer.wait = !args.has("no-wait");
  if (r.delete_after && !r.bundles.transfer.wait) {
    throw UsageError("--delete-after deletes the maps only after Sentry "
                     "confirmed them; drop --no-wait");
  }
  if (args.has("wait-for") &&
      (args.has("no-wait") || args.has("wait-timeout"))) {
    throw UsageError("--wait-for SECONDS already means --wait --wait-timeout "
                     "SECONDS; drop --no-wait / --wait-timeout");
  }
  for (const char *name : {"wait-timeout", "wait-for"}) {
    if (auto seconds = integer_option(args, name)) {
      r.bundles.transfer.wait_timeout = std::chrono::seconds(*seconds);
    }
  }
  if (auto bytes = integer_option(args, "max-request-size")) {
    r.bundles.max_request_size = static_cast<std::uint64_t>(*bytes);
  }
  if (auto n = integer_option(args, "concurrency")) {
    r.bundles.concurrency = static_cast<size_t>(*n);
  }
  if (auto level = integer_option(args, "compression-level")) {
    if (*level < 1 || *level > 12) {
      throw UsageError("option '--compression-level' needs a level from 1 "
                       "(fastest) to 12 (smallest), not '" +
                       std::to_string(*level) + "'");
    }
    r.bundles.compression_level = static_cast<int>(*level);
  }
  if (auto out = args.value("bundle-out")) {
    r.bundles.bundle_out = util::path_from_utf8(*out);
  }
  r.bundles.threads = std::max(1u, std::thread::hardware_concurrency());
  r.release_steps = read_release_steps(args);
}

nlohmann::json bundle_json(const upload::BundleSummary &summary, bool sent) {
  nlohmann::json files = nlohmann::json::array();
  for (const auto &file : summary.bundle.files) {
    nlohmann::json entry{{"url", file.url},
                         {"type", bundle::manifest_name(file.type)}};
    if (auto it = file.headers.find("debug-id"); it != file.headers.end()) {
      entry["debug_id"] = it->second;
    }
    if (auto it = file.headers.find("sourcemap"); it != file.headers.end()) {
      entry["sourcemap"] = it->second;
    }
    files.push_back(std::move(entry));
  }
  return {{"checksum", summary.bundle.checksum},
          {"debug_id", summary.bundle.debug_id},
          {"size", summary.bundle.size},
          {"chunks", summary.transfer.chunks_total},
          {"chunks_sent", summary.transfer.chunks_sent},
          {"bytes_sent", summary.transfer.bytes_sent},
          {"state", sent ? std::string(http::to_string(summary.transfer.state))
                         : "not sent"},
          {"files", std::move(files)}};
}

std::vector<std::string> path_strings(const std::vector<fs::path> &paths) {
  std::vector<std::string> out;
  for (const auto &path : paths) {
    out.push_back(path.string());
  }
  return out;
}

// The --json summary (field names are part of the interface).
nlohmann::json summary_json(const upload::UploadRequest &request,
                            const upload::UploadReport &report,
                            std::chrono::steady_clock::duration took) {
  const upload::BundleTarget &target = request.target;
  nlohmann::json summary{
      {"org", target.org},
      {"projects", target.projects},
      {"release", optional_json(target.release)},
      {"dist", optional_json(target.dist)},
      {"bundles", nlohmann::json::array()},
      {"debug_files", nlohmann::json::array()},
      {"deleted", path_strings(report.deleted)},
      {"stripped", path_strings(report.stripped)},
      {"parked", path_strings(report.parked)},
      {"stripped_modules", path_strings(report.stripped_modules)}};
  if (report.flow) {
    summary["flow"] = upload::flow_name(*report.flow);
  }
  for (const auto &bundle : report.bundles) {
    summary["bundles"].push_back(
        bundle_json(bundle, report.outcome != "dry run"));
  }
  for (const auto &sent : report.debug_files) {
    summary["debug_files"].push_back(
        {{"path", util::path_to_utf8(sent.file.path)},
         {"name", sent.file.name},
         {"debug_id", sent.file.debug_id},
         {"code_id", sent.file.code_id},
         {"checksum", sent.file.checksum},
         {"size", sent.file.size},
         {"projects", sent.projects},
         {"chunks", sent.transfer.chunks_total},
         {"chunks_sent", sent.transfer.chunks_sent},
         {"state", http::to_string(sent.transfer.state)}});
  }
  if (const auto &files = report.release_files) {
    summary["release_files"] = {{"created", files->created},
                                {"existed", files->existed},
                                {"replaced", files->replaced},
                                {"bytes_sent", files->bytes_sent}};
  }
  if (report.error) {
    summary["error"] = *report.error;
  }
  summary["outcome"] = report.outcome;
  summary["duration_ms"] =
      std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  return summary;
}

} // namespace

std::span<const OptionSpec> upload_options() { return k_upload_options; }

int run_upload(const ParsedArgs &args) {
  auto started = std::chrono::steady_clock::now();
  upload::UploadRequest request;
  read_file_settings(args, request);
  read_run_settings(args, request);
  config::ConfigInputs inputs = config_inputs(args);
  NetworkSettings network = network_settings(args, inputs.getenv);
  upload::Progress progress(util::stderr_is_terminal());
  config::Config config = load_command_config(args, inputs);
  request.getenv = inputs.getenv;
  request.git = run_git;
  request.server_url = config.url.value;
  request.retry = network.retry;
  request.cache_folder =
      args.has("no-cache") ? fs::path()
                           : upload::UploadCache::default_folder(inputs.getenv);
  upload::BundleTarget &target = request.target;
  target.org = config::value_of(config.org).value_or("");
  target.projects = config::values_of(config.projects);
  target.release = config::value_of(config.release);
  if (request.release_steps.any() && !target.release) {
    // Release steps need a name: detect it as the Vite plugin does.
    config::Setting detected =
        config::resolve_release(config.release, inputs.getenv, run_git);
    progress.phase("release " + detected.value + " (from " + detected.source +
                   ")");
    target.release = detected.value;
  }
  target.dist = config::value_of(config.dist);
  target.note = args.value("note");

  upload::UploadReport report;
  if (!request.dry_run && !config.auth_token) {
    if (!args.has("skip-without-token")) {
      throw AuthError("no auth token: set SENTRY_AUTH_TOKEN in the "
                      "environment or in .env.sentry-build-plugin, with a "
                      "token that has the scopes project:releases and "
                      "org:read");
    }
    std::cerr << "skipped: no SENTRY_AUTH_TOKEN; maps left untouched\n";
    report.outcome = "skipped";
  } else {
    if (!request.dry_run) {
      require_org(config);
      require_project(config);
    }
    if (config.auth_token) {
      network.client.auth_token = config.auth_token->value;
    }
    http::Client client(network.client);
    report = upload::run_upload(request, client, progress);
  }
  if (args.has("json")) {
    std::cout << util::redact(
                     summary_json(request, report,
                                  std::chrono::steady_clock::now() - started)
                         .dump(2))
              << "\n";
  }
  return static_cast<int>(ExitCode::ok);
}

} // namespace uploader::cli
