#include "uploader/cli/upload_command.hpp"

#include "uploader/cli/options_common.hpp"
#include "uploader/config/config.hpp"
#include "uploader/config/release_detect.hpp"
#include "uploader/http/api.hpp"
#include "uploader/inject/inject.hpp"
#include "uploader/releases/commits.hpp"
#include "uploader/releases/release_api.hpp"
#include "uploader/upload/bundle_upload.hpp"
#include "uploader/upload/cleanup.hpp"
#include "uploader/upload/flow.hpp"
#include "uploader/upload/pending.hpp"
#include "uploader/upload/plan.hpp"
#include "uploader/upload/progress.hpp"
#include "uploader/upload/release_steps.hpp"
#include "uploader/upload/stamp.hpp"
#include "uploader/upload/upload_cache.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/redact.hpp"
#include "uploader/version.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <iostream>
#include <thread>

namespace uploader::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array k_upload_options{
    OptionSpec{"org", 'o', Arity::value, "ORG", "Organization slug"},
    OptionSpec{"project", 'p', Arity::repeated, "PROJECT", "Project slug"},
    OptionSpec{"release", 'r', Arity::value, "RELEASE",
               "Release to associate the files with"},
    OptionSpec{"dist", 'd', Arity::value, "DIST",
               "Distribution (needs a release)"},
    OptionSpec{"url", 0, Arity::value, "URL",
               "Sentry server (default https://sentry.io/)"},
    OptionSpec{"auth-token", 0, Arity::value, "TOKEN",
               "Token (visible to other processes: prefer SENTRY_AUTH_TOKEN)"},
    OptionSpec{"env-file", 0, Arity::value, "FILE",
               "dotenv file with SENTRY_* settings (default "
               ".env.sentry-build-plugin)"},
    OptionSpec{"url-prefix", 'u', Arity::value, "PREFIX",
               "Prefix of the artifact URLs (default ~/)"},
    OptionSpec{"strip-prefix", 0, Arity::repeated, "PREFIX",
               "Remove PREFIX from the start of the maps' source paths "
               "(rewrites the uploaded maps, not the files)"},
    OptionSpec{"strip-common-prefix", 0, Arity::flag, "",
               "Remove the folder prefix that all absolute source paths of a "
               "map share (after the --strip-prefix ones)"},
    OptionSpec{"no-rewrite", 0, Arity::flag, "",
               "Upload the maps exactly as they are on disk (ignores "
               "--strip-prefix and --strip-common-prefix)"},
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

enum class OnFailure { fail, warn };

struct UploadSettings {
  upload::PlanOptions plan;
  bool dry_run = false;
  bool inject = false;
  bool json = false;
  bool delete_after = false;
  bool strip_comments = true;
  std::vector<std::string> delete_globs;
  OnFailure on_failure = OnFailure::fail;
  std::optional<fs::path> pending_dir;
  std::optional<fs::path> stamp_file;
  bool skip_without_token = false;
  bool use_cache = true;
  upload::BundleUploadSettings bundles;
  upload::ReleaseSteps release_steps;
  NetworkSettings network;
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

UploadSettings read_settings(const ParsedArgs &args) {
  UploadSettings s;
  s.plan.roots = args.positionals;
  if (args.has("ext")) {
    s.plan.extensions.clear();
    for (auto ext : args.values("ext")) {
      s.plan.extensions.push_back(ext.starts_with('.') ? ext.substr(1) : ext);
    }
  }
  s.plan.ignores = args.values("ignore");
  s.plan.ignore_file_lines = read_ignore_files(args);
  s.bundles.strip_prefixes = args.values("strip-prefix");
  if (args.has("strip-common-prefix")) {
    s.bundles.strip_prefixes.push_back("~"); // as sentry-cli passes it
  }
  if (args.has("no-rewrite")) {
    if (!s.bundles.strip_prefixes.empty()) {
      util::log_warn("--no-rewrite: the maps are uploaded unchanged, "
                     "--strip-prefix and --strip-common-prefix are ignored");
    }
    s.bundles.strip_prefixes.clear();
  }
  s.plan.url_prefix = args.value("url-prefix").value_or("~");
  s.dry_run = args.has("dry-run");
  s.inject = args.has("inject");
  s.json = args.has("json");
  s.delete_after = args.has("delete-after");
  s.strip_comments = !args.has("keep-source-mapping-url");
  s.delete_globs = args.values("delete-glob");
  if (!s.delete_globs.empty() && !s.delete_after) {
    throw UsageError("--delete-glob only makes sense with --delete-after");
  }
  if (auto mode = args.value("on-failure")) {
    if (*mode != "fail" && *mode != "warn") {
      throw UsageError("--on-failure takes 'fail' or 'warn', not '" + *mode +
                       "'");
    }
    s.on_failure = *mode == "warn" ? OnFailure::warn : OnFailure::fail;
  }
  if (auto dir = args.value("pending-dir")) {
    s.pending_dir = *dir;
  }
  if (s.on_failure == OnFailure::warn && !s.pending_dir) {
    throw UsageError("--on-failure warn needs --pending-dir DIR: the folder "
                     "(outside the deployed one) where maps wait for a retry");
  }
  if (auto stamp = args.value("stamp-file")) {
    s.stamp_file = *stamp;
  }
  s.skip_without_token = args.has("skip-without-token");
  s.use_cache = !args.has("no-cache");
  if (args.has("wait") && args.has("no-wait")) {
    throw UsageError("--wait and --no-wait contradict each other; give one");
  }
  s.bundles.transfer.wait = !args.has("no-wait");
  if (args.has("wait-for") &&
      (args.has("no-wait") || args.has("wait-timeout"))) {
    throw UsageError("--wait-for SECONDS already means --wait --wait-timeout "
                     "SECONDS; drop --no-wait / --wait-timeout");
  }
  for (const char *name : {"wait-timeout", "wait-for"}) {
    if (auto seconds = integer_option(args, name)) {
      s.bundles.transfer.wait_timeout = std::chrono::seconds(*seconds);
    }
  }
  s.plan.sourcemap_headers = !args.has("no-sourcemap-reference");
  s.plan.debug_id_reference = args.has("debug-id-reference");
  if (auto bytes = integer_option(args, "max-request-size")) {
    s.bundles.max_request_size = static_cast<std::uint64_t>(*bytes);
  }
  if (auto n = integer_option(args, "concurrency")) {
    s.bundles.concurrency = static_cast<size_t>(*n);
  }
  if (auto out = args.value("bundle-out")) {
    s.bundles.bundle_out = *out;
  }
  s.bundles.threads = std::max(1u, std::thread::hardware_concurrency());
  s.release_steps = read_release_steps(args);
  s.network = network_settings(args);
  return s;
}

std::string join(const std::vector<std::string> &items) {
  std::string text;
  for (const auto &item : items) {
    text += text.empty() ? "" : ", ";
    text += item;
  }
  return text;
}

std::vector<std::string> values_of(const std::vector<config::Setting> &list) {
  std::vector<std::string> values;
  for (const auto &setting : list) {
    values.push_back(setting.value);
  }
  return values;
}

std::optional<std::string> value_of(const std::optional<config::Setting> &s) {
  return s ? std::optional<std::string>(s->value) : std::nullopt;
}

// Refuses what the server would refuse later: no release and no debug ids.
void check_release_or_debug_ids(const upload::UploadPlan &plan,
                                const std::optional<std::string> &release) {
  if (release) {
    return;
  }
  bool any_debug_id = false;
  for (const auto &file : plan.files) {
    any_debug_id = any_debug_id || file.headers.contains("debug-id");
  }
  bool referenced_without = plan.referencing_sources > 0 &&
                            plan.referencing_sources_with_debug_id == 0;
  if (!any_debug_id || referenced_without) {
    throw ConfigError(
        "cannot upload: the files carry no debug IDs and no release is "
        "given, so Sentry could not match them to events; run "
        "'sentry-sourcemaps inject' first (or upload --inject), or set "
        "--release / SENTRY_RELEASE");
  }
  if (plan.referencing_sources_with_debug_id < plan.referencing_sources) {
    util::log_warn(
        std::to_string(plan.referencing_sources -
                       plan.referencing_sources_with_debug_id) +
        " JavaScript file(s) with a source map have no debug ID; errors in "
        "them will not be symbolicated without a release");
  }
}

nlohmann::json bundle_json(const upload::BundleSummary &summary) {
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
          {"state", http::to_string(summary.transfer.state)},
          {"files", std::move(files)}};
}

std::vector<std::string> path_strings(const std::vector<fs::path> &paths) {
  std::vector<std::string> out;
  for (const auto &path : paths) {
    out.push_back(path.string());
  }
  return out;
}

void print_json(const nlohmann::json &summary) {
  std::cout << util::redact(summary.dump(2)) << "\n";
}

class UploadRun {
public:
  UploadRun(const ParsedArgs &args)
      : m_started(std::chrono::steady_clock::now()),
        m_settings(read_settings(args)),
        m_progress(upload::stderr_is_terminal()) {
    if (m_settings.plan.roots.empty()) {
      throw UsageError("upload needs the folder or files to upload, e.g. "
                       "'sentry-sourcemaps upload dist/'");
    }
    config::ConfigInputs inputs = config_inputs(args);
    m_getenv = inputs.getenv;
    m_config = load_command_config(args, inputs);
    m_target.org = value_of(m_config.org).value_or("");
    m_target.projects = values_of(m_config.projects);
    m_target.release = value_of(m_config.release);
    if (m_settings.release_steps.any() && !m_target.release) {
      // Release steps need a name: detect it as the Vite plugin does.
      config::Setting detected =
          config::resolve_release(m_config.release, m_getenv, run_git);
      m_progress.phase("release " + detected.value + " (from " +
                       detected.source + ")");
      m_target.release = detected.value;
    }
    m_target.dist = value_of(m_config.dist);
    m_target.note = args.value("note");
    m_summary = {{"org", m_target.org},
                 {"projects", m_target.projects},
                 {"release", m_target.release
                                 ? nlohmann::json(*m_target.release)
                                 : nlohmann::json()},
                 {"dist", m_target.dist ? nlohmann::json(*m_target.dist)
                                        : nlohmann::json()},
                 {"bundles", nlohmann::json::array()},
                 {"deleted", nlohmann::json::array()},
                 {"stripped", nlohmann::json::array()},
                 {"parked", nlohmann::json::array()}};
  }

  int run() {
    if (!m_settings.dry_run && !m_config.auth_token) {
      if (m_settings.skip_without_token) {
        std::cerr << "skipped: no SENTRY_AUTH_TOKEN; maps left untouched\n";
        return finish("skipped");
      }
      throw AuthError("no auth token: set SENTRY_AUTH_TOKEN in the "
                      "environment or in .env.sentry-build-plugin, with a "
                      "token that has the scopes project:releases and "
                      "org:read");
    }
    if (!m_settings.dry_run) {
      require_org_and_project();
    }
    std::string fingerprint;
    if (m_settings.stamp_file) {
      fingerprint = upload::upload_fingerprint(m_settings.plan, stamp_key());
      if (upload::stamp_matches(*m_settings.stamp_file, fingerprint) &&
          parked().empty()) {
        m_progress.phase("nothing changed since the last upload (" +
                         m_settings.stamp_file->string() + "); nothing sent");
        return finish("unchanged");
      }
    }
    if (m_settings.inject) {
      inject_debug_ids();
    }
    upload::UploadCache cache(m_settings.use_cache
                                  ? upload::UploadCache::default_folder()
                                  : fs::path());
    // What the files look like now (after any injection): the key under
    // which their plan and bundles are remembered.
    std::string files_key =
        cache.enabled() ? upload::upload_fingerprint(
                              m_settings.plan, std::string(k_version) + "\n" +
                                                   m_settings.plan.url_prefix)
                        : "";
    std::optional<upload::UploadPlan> cached_plan = cache.load_plan(files_key);
    upload::UploadPlan plan = cached_plan
                                  ? std::move(*cached_plan)
                                  : upload::plan_upload(m_settings.plan);
    if (!cached_plan) {
      cache.save_plan(files_key, plan);
    }
    for (const auto &warning : plan.warnings) {
      util::log_warn(warning);
    }
    if (plan.files.empty()) {
      throw Error("no JavaScript files or source maps found in " +
                  join(m_settings.plan.roots) +
                  " (extensions: " + join(m_settings.plan.extensions) +
                  "); check the path, --ext and --ignore");
    }
    m_progress.phase("found " + std::to_string(plan.source_count) +
                     " JavaScript files and " +
                     std::to_string(plan.maps.size()) + " source maps");
    if (!(m_settings.dry_run && m_settings.inject)) {
      check_release_or_debug_ids(plan, m_target.release);
    }

    if (m_settings.dry_run) {
      return dry_run(plan);
    }
    http::ClientOptions client_options = m_settings.network.client;
    client_options.auth_token = m_config.auth_token->value;
    http::Client client(client_options);
    http::Api api(client, m_config.url.value, m_settings.network.retry,
                  [](std::string_view line) { util::log_warn(line); });

    releases::ReleaseApi release_api(api, m_target.org);
    upload::ServerFlow server;
    if (auto parked = or_park(plan, [&] {
          server = upload::detect_flow(api, m_target.org, m_settings.bundles);
          m_summary["flow"] = upload::flow_name(server.flow);
          if (auto line = upload::announcement(server.flow); !line.empty()) {
            m_progress.phase(line);
          }
          upload::require_release(server.flow, m_target.release);
          if (m_target.release) {
            upload::prepare_release(release_api, release_context(),
                                    m_settings.release_steps,
                                    upload::needs_release(server.flow),
                                    m_getenv, run_git, reporter());
          }
        })) {
      return *parked;
    }
    upload_parked(api, release_api, server);
    if (auto parked = or_park(plan, [&] {
          record(upload::upload_with_flow(api, server, plan.files, m_target,
                                          m_settings.bundles, cache, files_key,
                                          m_progress));
        })) {
      return *parked;
    }
    m_progress.phase("Sentry confirmed the upload (organization " +
                     m_target.org + ", projects " + join(m_target.projects) +
                     ", release " + m_target.release.value_or("none") + ")");
    if (m_target.release) {
      // Before any deletion: a failure here leaves every map in place.
      upload::complete_release(release_api, release_context(),
                               m_settings.release_steps, reporter());
    }
    if (m_settings.delete_after) {
      delete_maps(plan);
    }
    if (m_settings.stamp_file) {
      upload::write_stamp(
          *m_settings.stamp_file,
          upload::upload_fingerprint(m_settings.plan, stamp_key()));
    }
    return finish("ok");
  }

private:
  upload::PhaseReporter reporter() {
    return [this](std::string_view line) { m_progress.phase(line); };
  }

  upload::ReleaseContext release_context() const {
    return {m_target.org, m_target.projects, m_target.release.value_or("")};
  }

  void record(const upload::FlowResult &result) {
    for (const auto &summary : result.bundles) {
      m_summary["bundles"].push_back(bundle_json(summary));
    }
    if (const auto &files = result.release_files) {
      m_summary["release_files"] = {{"created", files->created},
                                    {"existed", files->existed},
                                    {"replaced", files->replaced},
                                    {"bytes_sent", files->bytes_sent}};
    }
  }

  void require_org_and_project() {
    require_org(m_config);
    require_project(m_config);
  }

  // The inject command's work, in this process: nothing is changed unless
  // every file can be injected.
  void inject_debug_ids() {
    inject::InjectOptions options;
    options.roots = m_settings.plan.roots;
    options.ignores = m_settings.plan.ignores;
    options.ignore_file_lines = m_settings.plan.ignore_file_lines;
    options.dry_run = m_settings.dry_run;
    // With --ext, inject what it names (maps are always read); else the
    // inject command's own defaults (js cjs mjs).
    if (m_settings.plan.extensions != upload::k_default_extensions) {
      options.extensions.clear();
      for (const auto &ext : m_settings.plan.extensions) {
        if (ext != "map") {
          options.extensions.push_back(ext);
        }
      }
    }
    inject::InjectResult result = inject::inject_debug_ids(options);
    if (result.recovered > 0) {
      m_progress.phase("finished " + std::to_string(result.recovered) +
                       " file replacement(s) of an interrupted earlier inject");
    }
    if (!result.errors.empty()) {
      std::string message = "cannot inject debug IDs, no file was changed:";
      for (const auto &error : result.errors) {
        message += "\n  " + error;
      }
      throw Error(message);
    }
    for (const auto &[path, warnings] : result.report.warnings) {
      for (const auto &warning : warnings) {
        util::log_warn(path + ": " + warning);
      }
    }
    m_progress.phase("injected debug IDs into " +
                     std::to_string(result.report.injected.size()) +
                     " JavaScript files and " +
                     std::to_string(result.report.sourcemaps.size()) +
                     " source maps (" +
                     std::to_string(result.report.previously_injected.size()) +
                     " already had one)");
  }

  std::string stamp_key() const {
    return std::string(k_version) + "\n" + m_config.url.value + "\n" +
           m_target.org + "\n" + join(m_target.projects) + "\n" +
           m_target.release.value_or("") + "\n" + m_target.dist.value_or("") +
           "\n" + m_settings.plan.url_prefix + "\n" +
           (m_settings.delete_after ? "delete" : "keep") + "\nstrip " +
           join(m_settings.bundles.strip_prefixes) + release_steps_key();
  }

  // Changing what is done to the release makes an unchanged folder upload
  // (and do it) again.
  std::string release_steps_key() const {
    const auto &steps = m_settings.release_steps;
    if (!steps.any()) {
      return "";
    }
    return std::string("\nrelease-steps ") + (steps.create ? "create " : "") +
           steps.set_commits.value_or("") + " " +
           (steps.finalize ? "finalize " : "") +
           steps.deploy_environment.value_or("");
  }

  std::vector<upload::ParkedUpload> parked() const {
    return m_settings.pending_dir
               ? upload::parked_uploads(*m_settings.pending_dir)
               : std::vector<upload::ParkedUpload>{};
  }

  // Maps parked by an earlier failed run go first, with the release and
  // URL prefix they were built for.
  void upload_parked(http::Api &api, releases::ReleaseApi &release_api,
                     const upload::ServerFlow &server) {
    for (const auto &parked_upload : parked()) {
      upload::PlanOptions options;
      options.roots = {(parked_upload.folder / "files").string()};
      options.url_prefix = parked_upload.url_prefix;
      upload::UploadPlan plan = upload::plan_upload(options);
      upload::BundleTarget target = m_target;
      target.release = parked_upload.release;
      target.dist = parked_upload.dist;
      m_progress.phase("uploading " + std::to_string(plan.maps.size()) +
                       " maps parked by an earlier failed upload");
      upload::FlowResult result;
      try {
        if (upload::needs_release(server.flow) && target.release) {
          upload::prepare_release(
              release_api, {target.org, target.projects, *target.release}, {},
              true, m_getenv, run_git, reporter());
        }
        result = upload::upload_with_flow(
            api, server, plan.files, target, m_settings.bundles,
            upload::UploadCache(fs::path()), "", m_progress);
      } catch (const Error &error) {
        if (m_settings.on_failure != OnFailure::warn) {
          throw;
        }
        util::log_warn("the maps parked in " + parked_upload.folder.string() +
                       " are still not uploaded (" + error.what() +
                       "); they stay there for the next run");
        continue;
      }
      record(result);
      upload::discard_parked(parked_upload);
      m_progress.phase("parked maps confirmed and removed from " +
                       parked_upload.folder.string());
    }
  }

  // Runs `step`. With --on-failure warn, its failure parks the maps and
  // gives park()'s exit code; a token or configuration error still stops
  // the run, as retrying later cannot fix it.
  template <typename Step>
  std::optional<int> or_park(const upload::UploadPlan &plan, Step &&step) {
    try {
      step();
    } catch (const AuthError &) {
      throw;
    } catch (const ConfigError &) {
      throw;
    } catch (const Error &error) {
      if (m_settings.on_failure != OnFailure::warn) {
        throw;
      }
      return park(plan, error.what());
    }
    return std::nullopt;
  }

  int park(const upload::UploadPlan &plan, const std::string &reason) {
    auto moved = upload::park_maps(plan, m_settings.plan, m_target.release,
                                   m_target.dist, *m_settings.pending_dir);
    std::vector<fs::path> stripped;
    if (m_settings.strip_comments) {
      stripped = upload::strip_source_mapping_urls(plan.links, moved);
    }
    util::log_warn("upload failed: " + reason + "; moved " +
                   std::to_string(moved.size()) + " source maps to " +
                   m_settings.pending_dir->string() +
                   " so they are not deployed; the next run uploads them");
    m_summary["parked"] = path_strings(moved);
    m_summary["stripped"] = path_strings(stripped);
    m_summary["error"] = reason;
    return finish("failed, maps parked");
  }

  void delete_maps(const upload::UploadPlan &plan) {
    std::vector<std::string> warnings;
    auto maps = upload::maps_to_delete(plan, m_settings.delete_globs,
                                       m_settings.plan.roots, warnings);
    auto result = upload::delete_maps(plan, maps, m_settings.strip_comments);
    warnings.insert(warnings.end(), result.warnings.begin(),
                    result.warnings.end());
    for (const auto &warning : warnings) {
      util::log_warn(warning);
    }
    for (const auto &path : result.deleted) {
      util::log_debug("deleted " + path.string());
    }
    m_progress.phase("deleted " + std::to_string(result.deleted.size()) +
                     " source maps; removed " +
                     std::to_string(result.stripped.size()) +
                     " sourceMappingURL comments");
    m_summary["deleted"] = path_strings(result.deleted);
    m_summary["stripped"] = path_strings(result.stripped);
  }

  int dry_run(const upload::UploadPlan &plan) {
    auto bundles =
        upload::build_bundles_offline(plan.files, m_target, m_settings.bundles);
    for (const auto &built : bundles) {
      upload::BundleSummary summary{built, {}};
      summary.transfer.chunks_total = built.chunks.size();
      nlohmann::json entry = bundle_json(summary);
      entry["state"] = "not sent";
      m_summary["bundles"].push_back(entry);
      m_progress.phase("dry run: would upload bundle " + built.debug_id + " (" +
                       upload::format_mib(built.size) + ", " +
                       std::to_string(built.files.size()) + " files)");
      for (const auto &file : built.files) {
        m_progress.phase("  " + file.url + " (" +
                         std::string(bundle::manifest_name(file.type)) + ")");
      }
    }
    return finish("dry run");
  }

  int finish(const std::string &outcome) {
    m_summary["outcome"] = outcome;
    m_summary["duration_ms"] =
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - m_started)
            .count();
    if (m_settings.json) {
      print_json(m_summary);
    }
    return 0;
  }

  std::chrono::steady_clock::time_point m_started;
  UploadSettings m_settings;
  config::EnvGetter m_getenv;
  config::Config m_config;
  upload::BundleTarget m_target;
  upload::Progress m_progress;
  nlohmann::json m_summary;
};

} // namespace

std::span<const OptionSpec> upload_options() {
  static const std::vector<OptionSpec> options =
      with_network_options(k_upload_options);
  return options;
}

int run_upload(const ParsedArgs &args) {
  apply_log_options(args);
  UploadRun run(args);
  return run.run();
}

} // namespace uploader::cli
