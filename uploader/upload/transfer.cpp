#include "uploader/upload/transfer.hpp"

#include "uploader/upload/progress.hpp"
#include "uploader/util/error.hpp"

#include <algorithm>
#include <set>
#include <thread>

namespace uploader::upload {

namespace {

using http::AssembleState;

[[noreturn]] void processing_failed(const http::AssembleResponse &response,
                                    std::string_view what) {
  throw Error("Sentry could not process " + std::string(what) + ": " +
              (response.detail.empty() ? std::string("unknown error")
                                       : response.detail) +
              "; nothing was deleted; fix what Sentry names (or check its "
              "logs) and run the upload again");
}

bool finished(AssembleState state) {
  return state == AssembleState::ok || state == AssembleState::error;
}

// Polls with `assemble` until Sentry reports `ok` (or, without wait, at
// once); throws on `error`, lost chunks or the timeout.
http::AssembleResponse
wait_for_assembly(http::AssembleResponse response, const Assembler &assemble,
                  const http::ChunkUploadOptions &options,
                  const TransferSettings &settings, const PhaseReporter &report,
                  std::string_view what) {
  auto limit = settings.wait_timeout;
  if (options.max_wait_seconds > 0) {
    limit = std::min(limit, std::chrono::seconds(options.max_wait_seconds));
  }
  auto deadline = std::chrono::steady_clock::now() + limit;
  bool announced = false;
  // Small bundles are usually processed within a few hundred ms: start
  // polling fast and slow down to the configured interval.
  auto interval =
      std::min(settings.poll_interval, std::chrono::milliseconds(100));
  while (settings.wait && !finished(response.state)) {
    if (response.state == AssembleState::not_found) {
      throw Error("Sentry still lacks " +
                  std::to_string(response.missing_chunks.size()) +
                  " chunk(s) after the upload; run the upload again");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw Error("Sentry did not finish processing " + std::string(what) +
                  " within " + std::to_string(limit.count()) +
                  " s (state: " + std::string(http::to_string(response.state)) +
                  "); nothing was deleted; raise --wait-timeout or run "
                  "again later");
    }
    if (!announced) {
      report("waiting for Sentry to process " + std::string(what));
      announced = true;
    }
    std::this_thread::sleep_for(interval);
    interval = std::min(interval * 2, settings.poll_interval);
    response = assemble();
  }
  if (response.state == AssembleState::error ||
      response.state == AssembleState::not_found) {
    processing_failed(response, what);
  }
  return response;
}

} // namespace

TransferResult transfer_missing_chunks(
    http::Api &api, const http::ChunkUploadOptions &options,
    const std::filesystem::path &file, const std::vector<bundle::Chunk> &chunks,
    const Assembler &assemble, std::string_view what,
    const TransferSettings &settings, const PhaseReporter &report,
    const ChunkProgress &progress) {
  TransferResult result;
  result.chunks_total = chunks.size();

  auto response = assemble();
  if (response.state == AssembleState::error) {
    processing_failed(response, what);
  }
  if (response.state == AssembleState::not_found &&
      !response.missing_chunks.empty()) {
    std::set<std::string> missing(response.missing_chunks.begin(),
                                  response.missing_chunks.end());
    std::vector<bundle::Chunk> to_send;
    for (const auto &chunk : chunks) {
      // A chunk that repeats (same bytes) is sent once.
      if (missing.erase(chunk.sha1) > 0) {
        to_send.push_back(chunk);
        result.bytes_sent += chunk.size;
      }
    }
    result.chunks_sent = to_send.size();
    report("uploading " + std::to_string(to_send.size()) + " of " +
           std::to_string(chunks.size()) + " chunks (" +
           format_mib(result.bytes_sent) + ")");
    upload_chunks(api, options, file, to_send, progress);
    response = assemble();
  } else {
    result.already_on_server = true;
    report("all " + std::to_string(chunks.size()) +
           " chunks already on the server");
    if (response.state == AssembleState::not_found) {
      response = assemble();
    }
  }

  response = wait_for_assembly(std::move(response), assemble, options, settings,
                               report, what);
  result.state = response.state;
  result.detail = response.detail;
  return result;
}

TransferResult
transfer_bundle(http::Api &api, const http::ChunkUploadOptions &options,
                std::string_view org, const http::AssembleRequest &target,
                const bundle::BuiltBundle &bundle,
                const TransferSettings &settings, const PhaseReporter &report,
                const ChunkProgress &progress) {
  http::AssembleRequest request = target;
  request.checksum = bundle.checksum;
  request.chunks.clear();
  for (const auto &chunk : bundle.chunks) {
    request.chunks.push_back(chunk.sha1);
  }
  return transfer_missing_chunks(
      api, options, bundle.path, bundle.chunks,
      [&] { return http::assemble_artifact_bundle(api, org, request); },
      "the bundle", settings, report, progress);
}

TransferResult transfer_all_chunks(http::Api &api,
                                   const http::ChunkUploadOptions &options,
                                   const bundle::BuiltBundle &bundle,
                                   const Assembler &assemble,
                                   const TransferSettings &settings,
                                   const PhaseReporter &report,
                                   const ChunkProgress &progress) {
  TransferResult result;
  result.chunks_total = bundle.chunks.size();
  std::set<std::string> seen;
  std::vector<bundle::Chunk> to_send;
  for (const auto &chunk : bundle.chunks) {
    // A chunk that repeats (same bytes) is sent once.
    if (seen.insert(chunk.sha1).second) {
      to_send.push_back(chunk);
      result.bytes_sent += chunk.size;
    }
  }
  result.chunks_sent = to_send.size();
  report("uploading all " + std::to_string(to_send.size()) + " chunks (" +
         format_mib(result.bytes_sent) + ")");
  upload_chunks(api, options, bundle.path, to_send, progress);
  auto response = assemble();
  if (response.state == AssembleState::error) {
    processing_failed(response, "the bundle");
  }
  response = wait_for_assembly(std::move(response), assemble, options, settings,
                               report, "the bundle");
  result.state = response.state;
  result.detail = response.detail;
  return result;
}

} // namespace uploader::upload
