#pragma once

#include "uploader/bundle/chunk.hpp"
#include "uploader/http/api.hpp"
#include "uploader/http/chunk_upload_options.hpp"
#include "uploader/upload/plan.hpp"
#include "uploader/upload/transfer.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

// WebAssembly modules as Sentry debug information files: the ones under
// the upload's folders that carry DWARF, sent with the chunked protocol to
// each project's DIF assemble endpoint.
namespace uploader::upload {

struct DebugFile {
  std::filesystem::path path;
  std::string name;     // the file name, as sentry-cli sends it
  std::string debug_id; // as Sentry reads it from the build ID
  std::string code_id;
  std::string checksum; // SHA-1 of the file
  std::uint64_t size = 0;
  std::vector<bundle::Chunk> chunks; // filled in by upload_debug_files
};

struct DebugFilePlan {
  std::vector<std::filesystem::path> modules; // every module found
  std::vector<DebugFile> files;               // the ones to upload
  // Modules that are not uploaded, and why (no DWARF, no build ID).
  std::vector<std::string> warnings;
};

// The WebAssembly modules under `options.roots` (its ignores apply) that
// carry DWARF and a build ID (chunked only when sent). Throws uploader::Error
// for a file that is not a module, and for one build ID on two different
// files.
DebugFilePlan plan_debug_files(const PlanOptions &options);

struct DebugFileSummary {
  DebugFile file;
  std::vector<std::string> projects;
  TransferResult transfer; // the last project's; chunks are sent once
};

// Sends every file to every project and returns once Sentry confirmed each
// (or, without wait, took it); throws uploader::Error on any failure, so a
// file that is reported was stored.
std::vector<DebugFileSummary>
upload_debug_files(http::Api &api, const http::ChunkUploadOptions &options,
                   const std::string &org,
                   const std::vector<std::string> &projects,
                   const DebugFilePlan &plan, const TransferSettings &settings,
                   const PhaseReporter &report, const ChunkProgress &progress);

// Once Sentry confirmed `stored` (--delete-after), or a full copy of each
// is parked (--on-failure warn): each module of `plan` rewritten
// (temporary file, sync, rename) without a sourceMappingURL or
// external_debug_info section naming a file in `removed` (or, for external
// debug info, one that no longer exists), and each of `stored` without its
// .debug_* sections too; code, names and build ID stay byte for byte. One
// of `stored` that changed since it was read keeps its DWARF, with a
// warning: what Sentry (or the parked copy) has is not it. Returns the
// modules rewritten.
std::vector<std::filesystem::path>
strip_debug_info(const DebugFilePlan &plan,
                 const std::vector<DebugFile> &stored,
                 const std::vector<std::filesystem::path> &removed,
                 std::vector<std::string> &warnings);

// --on-failure warn: a full copy of each file of `plan` in a new folder
// `modules-<time>` under `pending_dir` (synced), for a later run to upload
// with parked_debug_files(). Returns that folder.
std::filesystem::path
park_debug_files(const DebugFilePlan &plan,
                 const std::filesystem::path &pending_dir);

// The folders park_debug_files() left in `pending_dir`, oldest first.
std::vector<std::filesystem::path>
parked_debug_files(const std::filesystem::path &pending_dir);

} // namespace uploader::upload
