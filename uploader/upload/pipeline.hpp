#pragma once

#include "uploader/config/release_detect.hpp"
#include "uploader/http/retry.hpp"
#include "uploader/http/transport.hpp"
#include "uploader/upload/bundle_upload.hpp"
#include "uploader/upload/debug_files.hpp"
#include "uploader/upload/flow.hpp"
#include "uploader/upload/plan.hpp"
#include "uploader/upload/progress.hpp"
#include "uploader/upload/release_steps.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace uploader::upload {

// What a failed upload does with the maps: keep them where they are and
// fail, or park them outside the deploy folder and succeed with a warning.
enum class OnFailure { fail, warn };

// Everything one `upload` run needs, decided before anything is read or
// sent (the command line, the configuration and the environment are
// already resolved).
struct UploadRequest {
  PlanOptions plan;
  BundleTarget target;
  std::string server_url; // the Sentry base URL, ending with '/'
  BundleUploadSettings bundles;
  ReleaseSteps release_steps;
  http::RetryPolicy retry;
  bool dry_run = false;
  bool inject = false;
  bool delete_after = false;
  bool strip_comments = true; // with delete_after: the sourceMappingURLs
  std::vector<std::string> delete_globs;
  OnFailure on_failure = OnFailure::fail;
  std::optional<std::filesystem::path> pending_dir; // needed for warn
  std::optional<std::filesystem::path> stamp_file;
  std::filesystem::path cache_folder; // empty: no local cache
  // For --set-commits auto: the CI's variables and git.
  util::EnvGetter getenv;
  config::GitRunner git;
};

// What the run did, for the summary the command prints.
struct UploadReport {
  // "ok", "unchanged", "dry run" or "failed, maps parked".
  std::string outcome;
  std::optional<Flow> flow;
  // Sent and confirmed (parked uploads first); for a dry run, built only.
  std::vector<BundleSummary> bundles;
  std::optional<ReleaseFilesSummary> release_files;
  // WebAssembly debug files sent and confirmed.
  std::vector<DebugFileSummary> debug_files;
  // Modules whose DWARF --delete-after removed.
  std::vector<std::filesystem::path> stripped_modules;
  std::vector<std::filesystem::path> deleted;  // maps removed
  std::vector<std::filesystem::path> stripped; // JS whose comment went
  std::vector<std::filesystem::path> parked;   // maps moved to pending_dir
  std::optional<std::string> error;            // why they were parked
};

// Runs one upload in the order that keeps every map safe: the stamp check,
// inject, plan, server flow detection, release preparation, the maps
// parked by earlier runs, the upload and Sentry's confirmation, the
// release's completion, and only then deletion and the stamp. A map is
// deleted or rewritten only after the server said `ok`; any failure before
// that throws (leaving every file as it was) or, with OnFailure::warn,
// parks the maps and reports it. `transport` is used only when something
// is sent (not for a dry run or an unchanged stamp). Phases are reported
// through `progress`.
UploadReport run_upload(const UploadRequest &request,
                        http::Transport &transport, Progress &progress);

} // namespace uploader::upload
