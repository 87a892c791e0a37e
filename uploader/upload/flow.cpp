#include "uploader/upload/flow.hpp"

#include "uploader/http/assemble.hpp"
#include "uploader/releases/release_api.hpp"
#include "uploader/upload/chunks.hpp"
#include "uploader/upload/legacy_release_bundle.hpp"
#include "uploader/upload/transfer.hpp"
#include "uploader/util/error.hpp"

namespace uploader::upload {

Flow choose_flow(const std::optional<http::ChunkUploadOptions> &options) {
  if (!options) {
    return Flow::release_files;
  }
  if (options->accepts("artifact_bundles_v2")) {
    return Flow::artifact_bundle;
  }
  if (options->accepts("artifact_bundles")) {
    return Flow::artifact_bundle_v1;
  }
  if (options->accepts("release_files")) {
    return Flow::release_bundle;
  }
  // sentry-cli 2.x: chunk upload without release files means per file.
  return Flow::release_files;
}

ServerFlow detect_flow(http::Api &api, const std::string &org,
                       const BundleUploadSettings &settings) {
  http::Request request;
  request.url = api.url(http::endpoint::chunk_upload(org));
  request.expects_json = true;
  http::Response response = api.send(request);
  ServerFlow server;
  if (response.transport_error.empty() && response.status == 404) {
    http::Request org_request;
    org_request.url = api.url(http::endpoint::organization(org));
    http::Response org_response = api.send(org_request);
    bool org_exists = org_response.transport_error.empty() &&
                      org_response.status >= 200 && org_response.status < 300;
    if (!org_exists) {
      api.fail(request, response, "organization '" + org + "'");
    }
    server.flow = Flow::release_files;
    return server;
  }
  if (!response.transport_error.empty() || response.status < 200 ||
      response.status >= 300) {
    api.fail(request, response, "organization '" + org + "'");
  }
  // api.send turned an empty or broken body into a transport failure.
  auto json = nlohmann::json::parse(response.body);
  server.options = http::parse_chunk_upload_options(json, api);
  if (settings.max_request_size > 0) {
    server.options->max_request_size = settings.max_request_size;
  }
  if (settings.concurrency > 0) {
    server.options->concurrency = settings.concurrency;
  }
  server.flow = choose_flow(server.options);
  return server;
}

std::string_view flow_name(Flow flow) {
  switch (flow) {
  case Flow::artifact_bundle:
    return "artifact-bundle";
  case Flow::artifact_bundle_v1:
    return "artifact-bundle-v1";
  case Flow::release_bundle:
    return "release-bundle";
  case Flow::release_files:
    return "release-files";
  }
  return "unknown";
}

std::string announcement(Flow flow) {
  switch (flow) {
  case Flow::artifact_bundle:
    return "";
  case Flow::artifact_bundle_v1:
    return "older Sentry server (artifact bundles without missing-chunk "
           "check, about 23.4-23.7): uploading every chunk, then assembling";
  case Flow::release_bundle:
    return "older Sentry server (no artifact bundles, before 23.6): "
           "uploading a release bundle";
  case Flow::release_files:
    return "older Sentry server (no chunk upload): uploading the files one "
           "by one as release files";
  }
  return "";
}

bool needs_release(Flow flow) {
  return flow == Flow::release_bundle || flow == Flow::release_files;
}

void require_release(Flow flow, const std::optional<std::string> &release) {
  if (needs_release(flow) && !release) {
    throw ConfigError(
        "this Sentry server needs a release: it is older than 23.6 and "
        "stores source maps only under a release (debug IDs alone do not "
        "work there); set --release or SENTRY_RELEASE (CMake: RELEASE "
        "<release>), e.g. the commit SHA");
  }
}

namespace {

// The modern and v1 artifact-bundle transfers.
BundleTransfer artifact_bundle_transfer(http::Api &api,
                                        const ServerFlow &server,
                                        const BundleTarget &target,
                                        const TransferSettings &settings) {
  http::AssembleRequest request;
  request.projects = target.projects;
  if (server.flow == Flow::artifact_bundle) {
    request.version = target.release;
    request.dist = target.dist;
    return [&api, &server, &target, &settings, request](
               const bundle::BuiltBundle &bundle, const PhaseReporter &report,
               const ChunkProgress &progress) {
      return transfer_bundle(api, *server.options, target.org, request, bundle,
                             settings, report, progress);
    };
  }
  // The oldest v1 servers reject `version` and `dist` in the body, and
  // both read them from the manifest: leave them out.
  return [&api, &server, &target, &settings,
          request](const bundle::BuiltBundle &bundle,
                   const PhaseReporter &report, const ChunkProgress &progress) {
    http::AssembleRequest body = request;
    body.checksum = bundle.checksum;
    for (const auto &chunk : bundle.chunks) {
      body.chunks.push_back(chunk.sha1);
    }
    Assembler assemble = [&] {
      return http::assemble_artifact_bundle(api, target.org, body);
    };
    return transfer_all_chunks(api, *server.options, bundle, assemble, settings,
                               report, progress);
  };
}

// Only a server that reports missing chunks can be asked before assembly.
std::optional<EarlyChunkSending> early_sending(http::Api &api,
                                               const ServerFlow &server,
                                               const BundleTarget &target) {
  if (server.flow != Flow::artifact_bundle) {
    return std::nullopt;
  }
  http::AssembleRequest request;
  request.projects = target.projects;
  request.version = target.release;
  request.dist = target.dist;
  const http::ChunkUploadOptions &options = *server.options;
  EarlyChunkSending how;
  how.missing = [&api, &target,
                 request](const std::vector<std::string> &chunks) {
    return http::query_missing_chunks(api, target.org, request, chunks);
  };
  how.send = [&api, &options](const std::filesystem::path &file,
                              const std::vector<bundle::Chunk> &chunks) {
    upload_chunks(api, options, file, chunks, {});
  };
  size_t slots = std::max<size_t>(options.concurrency, 1);
  how.batch_bytes = options.max_request_size * slots;
  how.batch_chunks = options.chunks_per_request * slots;
  return how;
}

} // namespace

FlowResult upload_with_flow(http::Api &api, const ServerFlow &server,
                            std::vector<bundle::BundleInput> files,
                            const BundleTarget &target,
                            const BundleUploadSettings &settings,
                            const UploadCache &cache,
                            const std::string &files_key, Progress &progress) {
  require_release(server.flow, target.release);
  FlowResult result;
  if (server.flow == Flow::release_files) {
    releases::ReleaseApi releases(api, target.org);
    size_t concurrency = settings.concurrency > 0 ? settings.concurrency
                         : server.options         ? server.options->concurrency
                                                  : 4;
    result.release_files = upload_release_files(
        api, releases, files, target, settings.map_rewrite, concurrency,
        [&](std::string_view line) { progress.phase(line); });
    return result;
  }
  BundleTransfer transfer =
      server.flow == Flow::release_bundle
          ? release_bundle_transfer(api, *server.options, target,
                                    settings.transfer)
          : artifact_bundle_transfer(api, server, target, settings.transfer);
  auto early = early_sending(api, server, target);
  result.bundles = upload_bundles(*server.options, transfer, std::move(files),
                                  target, settings, cache, files_key, progress,
                                  early ? &*early : nullptr);
  return result;
}

} // namespace uploader::upload
