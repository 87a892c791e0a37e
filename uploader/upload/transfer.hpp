#pragma once

#include "uploader/bundle/artifact_bundle.hpp"
#include "uploader/http/assemble.hpp"
#include "uploader/upload/chunks.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace uploader::upload {

struct TransferSettings {
  bool wait = true;
  std::chrono::seconds wait_timeout{300};
  std::chrono::milliseconds poll_interval{1000};
};

struct TransferResult {
  http::AssembleState state = http::AssembleState::not_found;
  std::string detail;
  size_t chunks_total = 0;
  size_t chunks_sent = 0;
  std::uint64_t bytes_sent = 0;
  bool already_on_server = false; // nothing had to be sent
};

// Receives one line per phase ("uploading 3 of 5 chunks (12.0 MiB)").
using PhaseReporter = std::function<void(std::string_view)>;

// Sends one assemble request for a file (to whichever endpoint the
// server's flow uses) and returns the server's answer.
using Assembler = std::function<http::AssembleResponse()>;

// Sentry's chunked protocol for one file whose assemble endpoint reports
// missing chunks: `assemble` says which chunks it lacks (or an early `ok` or
// `error`), only those are uploaded from `file`, then it assembles and,
// with `settings.wait`, polls until `ok`, `error` or the timeout. `what`
// names the file in messages ("the bundle"). Same guarantees as below.
TransferResult transfer_missing_chunks(
    http::Api &api, const http::ChunkUploadOptions &options,
    const std::filesystem::path &file, const std::vector<bundle::Chunk> &chunks,
    const Assembler &assemble, std::string_view what,
    const TransferSettings &settings, const PhaseReporter &report,
    const ChunkProgress &progress);

// Runs Sentry's artifact-bundle protocol for one built bundle: ask the
// server which chunks it lacks (and honour an early `ok` or `error`), upload
// only those, assemble, then, with `settings.wait`, poll until `ok` or
// `error` or the timeout. Returns with state `ok` (or, without wait,
// `created`/`assembling`); throws uploader::Error on `error`, a timeout or
// any HTTP failure, so a caller that gets a result may trust it.
TransferResult
transfer_bundle(http::Api &api, const http::ChunkUploadOptions &options,
                std::string_view org, const http::AssembleRequest &target,
                const bundle::BuiltBundle &bundle,
                const TransferSettings &settings, const PhaseReporter &report,
                const ChunkProgress &progress);

// For servers that do not report missing chunks (artifact bundles without
// `_v2`, legacy release bundles): uploads every chunk first, then assembles
// with `assemble` and waits as transfer_bundle does. Same guarantees.
TransferResult
transfer_all_chunks(http::Api &api, const http::ChunkUploadOptions &options,
                    const bundle::BuiltBundle &bundle,
                    const Assembler &assemble, const TransferSettings &settings,
                    const PhaseReporter &report, const ChunkProgress &progress);

} // namespace uploader::upload
