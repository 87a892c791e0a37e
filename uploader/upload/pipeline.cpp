#include "uploader/upload/pipeline.hpp"

#include "uploader/http/api.hpp"
#include "uploader/inject/inject.hpp"
#include "uploader/releases/release_api.hpp"
#include "uploader/upload/cleanup.hpp"
#include "uploader/upload/pending.hpp"
#include "uploader/upload/stamp.hpp"
#include "uploader/upload/upload_cache.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/strings.hpp"
#include "uploader/version.hpp"

namespace uploader::upload {

namespace {

namespace fs = std::filesystem;

// Refuses what the server would refuse later: no release and no debug ids.
void check_release_or_debug_ids(const UploadPlan &plan,
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

// Changing what is done to the release makes an unchanged folder upload
// (and do it) again.
std::string release_steps_key(const ReleaseSteps &steps) {
  if (!steps.any()) {
    return "";
  }
  return std::string("\nrelease-steps ") + (steps.create ? "create " : "") +
         steps.set_commits.value_or("") + " " +
         (steps.finalize ? "finalize " : "") +
         steps.deploy_environment.value_or("");
}

// Everything besides the files that makes an upload a different one.
std::string stamp_key(const UploadRequest &request) {
  const BundleTarget &target = request.target;
  return std::string(k_version) + "\n" + request.server_url + "\n" +
         target.org + "\n" + util::join(target.projects) + "\n" +
         target.release.value_or("") + "\n" + target.dist.value_or("") + "\n" +
         request.plan.url_prefix + "\n" +
         (request.delete_after ? "delete" : "keep") + "\n" +
         bundle::describe(request.bundles.map_rewrite) +
         release_steps_key(request.release_steps);
}

// The source files whose texts the uploaded maps carry.
bundle::SourcesRead sources_read(const FlowResult &result) {
  bundle::SourcesRead all;
  for (const auto &summary : result.bundles) {
    all.insert(summary.bundle.sources_read.begin(),
               summary.bundle.sources_read.end());
  }
  if (result.release_files) {
    all.insert(result.release_files->sources_read.begin(),
               result.release_files->sources_read.end());
  }
  return all;
}

void log_warnings(const std::vector<std::string> &warnings) {
  for (const auto &warning : warnings) {
    util::log_warn(warning);
  }
}

class Pipeline {
public:
  Pipeline(const UploadRequest &request, http::Transport &transport,
           Progress &progress)
      : m_request(request), m_transport(transport), m_progress(progress) {}

  UploadReport run() {
    if (m_request.delete_after && !m_request.bundles.transfer.wait) {
      // Without the wait nothing says Sentry stored the maps.
      throw UsageError("--delete-after deletes the maps only after Sentry "
                       "confirmed them; drop --no-wait");
    }
    if (m_request.stamp_file &&
        stamp_matches(
            *m_request.stamp_file,
            upload_fingerprint(m_request.plan, stamp_key(m_request))) &&
        parked().empty()) {
      m_progress.phase("nothing changed since the last upload (" +
                       m_request.stamp_file->string() + "); nothing sent");
      return finish("unchanged");
    }
    if (m_request.inject) {
      inject_debug_ids();
    }
    UploadCache cache(m_request.cache_folder);
    // What the files look like now (after any injection): the key under
    // which their plan and bundles are remembered.
    std::string files_key =
        cache.enabled()
            ? upload_fingerprint(m_request.plan, std::string(k_version) + "\n" +
                                                     m_request.plan.url_prefix)
            : "";
    UploadPlan plan = load_or_make_plan(cache, files_key);
    // Before anything is sent: a bad module stops the run here.
    m_debug_files = plan_debug_files();
    if (m_request.dry_run) {
      return dry_run(plan);
    }

    http::Api api(m_transport, m_request.server_url, m_request.retry,
                  [](std::string_view line) { util::log_warn(line); });
    releases::ReleaseApi release_api(api, m_request.target.org);
    ServerFlow server;
    if (or_park(plan, [&] { server = prepare(api, release_api); })) {
      return finish("failed, maps parked");
    }
    if (!m_debug_files.files.empty() && !server.options) {
      throw Error("this Sentry server has no chunk upload, which debug "
                  "files need; nothing was sent (upgrade the server, or "
                  "remove the .wasm modules from the folder)");
    }
    upload_parked(api, release_api, server);
    FlowResult uploaded;
    if (or_park(plan, [&] {
          uploaded =
              upload_with_flow(api, server, plan.files, m_request.target,
                               m_request.bundles, cache, files_key, m_progress);
          record(uploaded);
        })) {
      return finish("failed, maps parked");
    }
    if (!m_debug_files.files.empty()) {
      m_report.debug_files = upload_debug_files(
          api, *server.options, m_request.target.org, m_request.target.projects,
          m_debug_files, m_request.bundles.transfer, reporter(), {});
    }
    const BundleTarget &target = m_request.target;
    m_progress.phase(
        std::string(m_request.bundles.transfer.wait
                        ? "Sentry confirmed the upload"
                        : "uploaded; not waiting for Sentry to process it") +
        " (organization " + target.org + ", projects " +
        util::join(target.projects) + ", release " +
        target.release.value_or("none") + ")");
    if (target.release) {
      // Before any deletion: a failure here leaves every map in place.
      complete_release(release_api, release_context(), m_request.release_steps,
                       reporter());
    }
    if (m_request.delete_after) {
      delete_maps(plan);
    }
    if (m_request.stamp_file) {
      // After the cleanup: the folder's final state is what the next run
      // compares against.
      write_stamp(*m_request.stamp_file,
                  upload_fingerprint(m_request.plan, stamp_key(m_request)),
                  sources_read(uploaded), root_folders());
    }
    return finish("ok");
  }

private:
  // The folders among the roots: what `install` later checks against the
  // stamp.
  std::vector<fs::path> root_folders() const {
    std::vector<fs::path> folders;
    for (const auto &root : m_request.plan.roots) {
      folders.push_back(util::path_from_utf8(root));
    }
    return folders;
  }

  DebugFilePlan plan_debug_files() {
    DebugFilePlan plan = upload::plan_debug_files(m_request.plan);
    log_warnings(plan.warnings);
    return plan;
  }

  PhaseReporter reporter() {
    return [this](std::string_view line) { m_progress.phase(line); };
  }

  ReleaseContext release_context() const {
    const BundleTarget &target = m_request.target;
    return {target.org, target.projects, target.release.value_or("")};
  }

  UploadReport finish(std::string outcome) {
    m_report.outcome = std::move(outcome);
    return std::move(m_report);
  }

  void record(const FlowResult &result) {
    m_report.bundles.insert(m_report.bundles.end(), result.bundles.begin(),
                            result.bundles.end());
    if (result.release_files) {
      m_report.release_files = result.release_files;
    }
  }

  // The inject command's work, in this process: nothing is changed unless
  // every file can be injected.
  void inject_debug_ids() {
    inject::InjectOptions options;
    options.roots = m_request.plan.roots;
    options.ignores = m_request.plan.ignores;
    options.ignore_file_lines = m_request.plan.ignore_file_lines;
    options.dry_run = m_request.dry_run;
    // With --ext, inject what it names (maps are always read); else the
    // inject command's own defaults.
    if (m_request.plan.extensions != discovery::k_upload_extensions) {
      options.extensions.clear();
      for (const auto &ext : m_request.plan.extensions) {
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

  UploadPlan load_or_make_plan(const UploadCache &cache,
                               const std::string &files_key) {
    std::optional<UploadPlan> cached = cache.load_plan(files_key);
    UploadPlan plan = cached ? std::move(*cached) : plan_upload(m_request.plan);
    if (!cached) {
      cache.save_plan(files_key, plan);
    }
    log_warnings(plan.warnings);
    if (plan.files.empty()) {
      throw Error("no JavaScript files or source maps found in " +
                  util::join(m_request.plan.roots) +
                  " (extensions: " + util::join(m_request.plan.extensions) +
                  "); check the path, --ext and --ignore");
    }
    m_progress.phase("found " + std::to_string(plan.source_count) +
                     " JavaScript files and " +
                     std::to_string(plan.maps.size()) + " source maps");
    // A dry run of --inject has not injected: its debug IDs are still
    // missing, and that is what it would fix.
    if (!(m_request.dry_run && m_request.inject)) {
      check_release_or_debug_ids(plan, m_request.target.release);
    }
    return plan;
  }

  // Asks the server how it takes files and gets the release ready.
  ServerFlow prepare(http::Api &api, releases::ReleaseApi &release_api) {
    ServerFlow server =
        detect_flow(api, m_request.target.org, m_request.bundles);
    m_report.flow = server.flow;
    if (auto line = announcement(server.flow); !line.empty()) {
      m_progress.phase(line);
    }
    require_release(server.flow, m_request.target.release);
    if (m_request.target.release) {
      prepare_release(release_api, release_context(), m_request.release_steps,
                      needs_release(server.flow), m_request.getenv,
                      m_request.git, reporter());
    }
    return server;
  }

  std::vector<ParkedUpload> parked() const {
    return m_request.pending_dir ? parked_uploads(*m_request.pending_dir)
                                 : std::vector<ParkedUpload>{};
  }

  // Maps parked by an earlier failed run go first, with the release and
  // URL prefix they were built for.
  void upload_parked(http::Api &api, releases::ReleaseApi &release_api,
                     const ServerFlow &server) {
    for (const auto &parked_upload : parked()) {
      PlanOptions options;
      options.roots = {(parked_upload.folder / "files").string()};
      options.url_prefix = parked_upload.url_prefix;
      UploadPlan plan = plan_upload(options);
      for (auto &file : plan.files) {
        if (auto it = parked_upload.built_in.find(file.url);
            it != parked_upload.built_in.end()) {
          file.built_in = it->second;
        }
      }
      BundleTarget target = m_request.target;
      target.release = parked_upload.release;
      target.dist = parked_upload.dist;
      m_progress.phase("uploading " + std::to_string(plan.maps.size()) +
                       " maps parked by an earlier failed upload");
      FlowResult result;
      try {
        if (needs_release(server.flow) && target.release) {
          prepare_release(release_api,
                          {target.org, target.projects, *target.release}, {},
                          true, m_request.getenv, m_request.git, reporter());
        }
        result =
            upload_with_flow(api, server, plan.files, target, m_request.bundles,
                             UploadCache(fs::path()), "", m_progress);
      } catch (const Error &error) {
        if (m_request.on_failure != OnFailure::warn) {
          throw;
        }
        util::log_warn("the maps parked in " + parked_upload.folder.string() +
                       " are still not uploaded (" + error.what() +
                       "); they stay there for the next run");
        continue;
      }
      record(result);
      discard_parked(parked_upload);
      m_progress.phase("parked maps confirmed and removed from " +
                       parked_upload.folder.string());
    }
    if (!m_request.pending_dir) {
      return;
    }
    for (const auto &folder : parked_debug_files(*m_request.pending_dir)) {
      PlanOptions options;
      options.roots = {util::path_to_utf8(folder)};
      DebugFilePlan plan = upload::plan_debug_files(options);
      m_progress.phase("uploading " + std::to_string(plan.files.size()) +
                       " WebAssembly debug files parked by an earlier failed "
                       "upload");
      try {
        auto sent =
            upload_debug_files(api, *server.options, m_request.target.org,
                               m_request.target.projects, plan,
                               m_request.bundles.transfer, reporter(), {});
        m_report.debug_files.insert(m_report.debug_files.end(), sent.begin(),
                                    sent.end());
      } catch (const Error &error) {
        if (m_request.on_failure != OnFailure::warn) {
          throw;
        }
        util::log_warn("the debug files parked in " + folder.string() +
                       " are still not uploaded (" + error.what() +
                       "); they stay there for the next run");
        continue;
      }
      fs::remove_all(folder);
      m_progress.phase("parked debug files confirmed and removed from " +
                       folder.string());
    }
  }

  // Runs `step`. With OnFailure::warn, its failure parks the maps and
  // returns true; a token or configuration error still stops the run, as
  // retrying later cannot fix it.
  template <typename Step> bool or_park(const UploadPlan &plan, Step &&step) {
    try {
      step();
    } catch (const AuthError &) {
      throw;
    } catch (const ConfigError &) {
      throw;
    } catch (const Error &error) {
      if (m_request.on_failure != OnFailure::warn) {
        throw;
      }
      park(plan, error.what());
      return true;
    }
    return false;
  }

  void park(const UploadPlan &plan, const std::string &reason) {
    const BundleTarget &target = m_request.target;
    m_report.parked = park_maps(plan, m_request.plan, target.release,
                                target.dist, *m_request.pending_dir);
    if (m_request.strip_comments) {
      m_report.stripped =
          strip_source_mapping_urls(plan.links, m_report.parked);
    }
    if (!m_debug_files.files.empty()) {
      // A full copy first, then the deployed modules lose their DWARF.
      park_debug_files(m_debug_files, *m_request.pending_dir);
      std::vector<std::string> warnings;
      m_report.stripped_modules = strip_debug_info(
          m_debug_files, m_debug_files.files, m_report.parked, warnings);
      log_warnings(warnings);
    }
    util::log_warn(
        "upload failed: " + reason + "; moved " +
        std::to_string(m_report.parked.size()) + " source maps and copied " +
        std::to_string(m_debug_files.files.size()) +
        " WebAssembly modules' DWARF to " + m_request.pending_dir->string() +
        " so they are not deployed; the next run uploads them");
    m_report.error = reason;
  }

  void delete_maps(const UploadPlan &plan) {
    std::vector<std::string> warnings;
    auto maps = maps_to_delete(plan, m_request.delete_globs,
                               m_request.plan.roots, warnings);
    auto result = upload::delete_maps(plan, maps, m_request.strip_comments);
    warnings.insert(warnings.end(), result.warnings.begin(),
                    result.warnings.end());
    log_warnings(warnings);
    for (const auto &path : result.deleted) {
      util::log_debug("deleted " + path.string());
    }
    m_progress.phase("deleted " + std::to_string(result.deleted.size()) +
                     " source maps; removed " +
                     std::to_string(result.stripped.size()) +
                     " sourceMappingURL comments");
    m_report.deleted = std::move(result.deleted);
    m_report.stripped = std::move(result.stripped);
    if (!m_debug_files.modules.empty()) {
      std::vector<std::string> module_warnings;
      std::vector<DebugFile> stored;
      for (const auto &sent : m_report.debug_files) {
        stored.push_back(sent.file);
      }
      m_report.stripped_modules = strip_debug_info(
          m_debug_files, stored, m_report.deleted, module_warnings);
      log_warnings(module_warnings);
      m_progress.phase("removed the DWARF from " +
                       std::to_string(m_report.stripped_modules.size()) +
                       " WebAssembly modules");
    }
  }

  UploadReport dry_run(const UploadPlan &plan) {
    auto bundles =
        build_bundles_offline(plan.files, m_request.target, m_request.bundles);
    for (auto &built : bundles) {
      m_progress.phase("dry run: would upload bundle " + built.debug_id + " (" +
                       format_mib(built.size) + ", " +
                       std::to_string(built.files.size()) + " files)");
      for (const auto &file : built.files) {
        m_progress.phase("  " + file.url + " (" +
                         std::string(bundle::manifest_name(file.type)) + ")");
      }
      BundleSummary summary{std::move(built), {}};
      summary.transfer.chunks_total = summary.bundle.chunks.size();
      m_report.bundles.push_back(std::move(summary));
    }
    return finish("dry run");
  }

  const UploadRequest &m_request;
  http::Transport &m_transport;
  Progress &m_progress;
  UploadReport m_report;
  DebugFilePlan m_debug_files; // the modules found, once the server is known
};

} // namespace

UploadReport run_upload(const UploadRequest &request,
                        http::Transport &transport, Progress &progress) {
  return Pipeline(request, transport, progress).run();
}

} // namespace uploader::upload
