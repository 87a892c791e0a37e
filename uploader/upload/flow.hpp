#pragma once

#include "uploader/bundle/artifact_bundle.hpp"
#include "uploader/http/api.hpp"
#include "uploader/upload/bundle_upload.hpp"
#include "uploader/upload/chunks.hpp"
#include "uploader/upload/legacy_release_files.hpp"
#include "uploader/upload/progress.hpp"
#include "uploader/upload/upload_cache.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::upload {

// How a server takes source maps, newest first (protocol doc §12).
enum class Flow {
  artifact_bundle,    // `artifact_bundles_v2`: only the missing chunks
  artifact_bundle_v1, // `artifact_bundles` (about 23.4-23.7): all chunks
  release_bundle,     // `release_files` only (before 23.6): needs a release
  release_files,      // no chunk upload at all: one request per file
};

// What the server said about itself, decided once per run.
struct ServerFlow {
  Flow flow = Flow::artifact_bundle;
  // The chunk-upload options (with --max-request-size and --concurrency
  // applied); nullopt when the server has no chunk upload.
  std::optional<http::ChunkUploadOptions> options;
};

// The flow sentry-cli 2.x would pick from the options' `accept` list
// (nullopt: no chunk upload).
Flow choose_flow(const std::optional<http::ChunkUploadOptions> &options);

// GET chunk-upload; a 404 there is told apart by GET organization: a
// missing organization fails as before, an existing one means a server
// without chunk upload.
ServerFlow detect_flow(http::Api &api, const std::string &org,
                       const BundleUploadSettings &settings);

// "artifact-bundle", "artifact-bundle-v1", "release-bundle", "release-files"
std::string_view flow_name(Flow flow);

// The one line that tells the user a legacy flow is used, and why; empty
// for the modern flow.
std::string announcement(Flow flow);

// Whether the flow stores files under a release only, so one is required
// and must exist before the upload.
bool needs_release(Flow flow);

// Throws ConfigError naming the fix when `flow` needs a release and there
// is none.
void require_release(Flow flow, const std::optional<std::string> &release);

struct FlowResult {
  std::vector<BundleSummary> bundles;               // bundle flows
  std::optional<ReleaseFilesSummary> release_files; // per-file flow
};

// Sends `files` the way `server` needs; returns once Sentry confirmed them
// (or, without wait, once sent). The release must exist for the legacy
// flows. Throws like upload_bundles.
FlowResult upload_with_flow(http::Api &api, const ServerFlow &server,
                            std::vector<bundle::BundleInput> files,
                            const BundleTarget &target,
                            const BundleUploadSettings &settings,
                            const UploadCache &cache,
                            const std::string &files_key, Progress &progress);

} // namespace uploader::upload
