#include "uploader/upload/debug_files.hpp"

#include "uploader/discovery/walk.hpp"
#include "uploader/http/assemble.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/hash.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/wasm/identity.hpp"
#include "uploader/wasm/module.hpp"

#include <algorithm>
#include <map>

namespace uploader::upload {

namespace {

std::string hex_sha1(std::string_view bytes) {
  return util::to_hex(util::sha1(bytes));
}

std::vector<bundle::Chunk> chunk(std::string_view bytes,
                                 std::uint64_t chunk_size) {
  std::vector<bundle::Chunk> chunks;
  for (std::uint64_t at = 0; at < bytes.size(); at += chunk_size) {
    std::uint64_t size = std::min<std::uint64_t>(chunk_size, bytes.size() - at);
    chunks.push_back({hex_sha1(bytes.substr(at, size)), at, size});
  }
  return chunks;
}

} // namespace

DebugFilePlan plan_debug_files(const PlanOptions &options,
                               std::uint64_t chunk_size) {
  discovery::WalkOptions walk;
  walk.roots = options.roots;
  walk.extensions = {"wasm"};
  walk.ignores = options.ignores;
  walk.ignore_file_lines = options.ignore_file_lines;
  DebugFilePlan plan;
  std::map<std::string, std::string> owners; // debug ID -> path
  for (const auto &found : discovery::walk(walk)) {
    std::string path = util::path_to_utf8(found.path);
    std::string bytes = util::read_file(found.path);
    wasm::ModuleInfo info;
    try {
      info = wasm::read_module(bytes);
    } catch (const wasm::FormatError &error) {
      throw Error(path + ": " + error.what() +
                  "; rebuild it or remove it from the folder");
    }
    if (!info.has_dwarf) {
      plan.warnings.push_back(
          path + " has no DWARF (.debug_* sections), so Sentry could not "
                 "symbolicate it: nothing uploaded for it (build with -g to "
                 "upload one)");
      continue;
    }
    // An empty (or all-zero) ID reads as the nil debug ID, which Sentry
    // cannot match to anything; sentry-cli skips such files too.
    if (!info.build_id || wasm::debug_id(*info.build_id) ==
                              "00000000-0000-0000-0000-000000000000") {
      plan.warnings.push_back(
          path + " has no build ID, so Sentry could not match it to "
                 "events: nothing uploaded for it (run inject first, or "
                 "upload --inject)");
      continue;
    }
    DebugFile file;
    file.path = found.path;
    file.name = util::path_to_utf8(found.path.filename());
    file.debug_id = wasm::debug_id(*info.build_id);
    file.code_id = wasm::code_id(*info.build_id);
    file.checksum = hex_sha1(bytes);
    file.size = bytes.size();
    file.chunks = chunk(bytes, chunk_size);
    auto [owner, fresh] = owners.try_emplace(file.debug_id, path);
    if (!fresh) {
      auto same =
          std::ranges::find(plan.files, file.debug_id, &DebugFile::debug_id);
      if (same->checksum != file.checksum) {
        throw Error(path + " and " + owner->second +
                    " have the same build ID " + file.code_id +
                    " but different bytes; Sentry could not tell them "
                    "apart: rebuild one of them or remove the stale copy");
      }
      continue; // the same file twice: sent once
    }
    plan.files.push_back(std::move(file));
  }
  return plan;
}

std::vector<DebugFileSummary>
upload_debug_files(http::Api &api, const http::ChunkUploadOptions &options,
                   const std::string &org,
                   const std::vector<std::string> &projects,
                   const DebugFilePlan &plan, const TransferSettings &settings,
                   const PhaseReporter &report, const ChunkProgress &progress) {
  std::vector<DebugFileSummary> summaries;
  for (const auto &file : plan.files) {
    DebugFileSummary summary{file, projects, {}};
    http::DifAssembleRequest request{
        file.checksum, file.name, file.debug_id, {}};
    for (const auto &chunk : file.chunks) {
      request.chunks.push_back(chunk.sha1);
    }
    for (const auto &project : projects) {
      report("debug file " + file.name + " (" + file.debug_id +
             ") for project " + project);
      summary.transfer = transfer_missing_chunks(
          api, options, file.path, file.chunks,
          [&] { return http::assemble_debug_file(api, org, project, request); },
          "the debug file " + file.name, settings, report, progress);
    }
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

} // namespace uploader::upload
