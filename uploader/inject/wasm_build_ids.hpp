#pragma once

#include "uploader/discovery/walk.hpp"
#include "uploader/util/fs.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace uploader::inject {

struct WasmModuleItem {
  std::string path;
  std::string code_id;  // the build ID, hexadecimal
  std::string debug_id; // as Sentry derives it from the build ID
};

struct WasmBuildIds {
  std::vector<WasmModuleItem> given; // a build_id section was added
  std::vector<WasmModuleItem> kept;  // they had one already
  // When not empty, nothing may change: one message per bad module.
  std::vector<std::string> errors;
  // Two modules share a build ID (an error --skip-invalid does not skip).
  bool conflict = false;
  // Files that are not modules, with why, when skipping those.
  std::vector<std::pair<std::string, std::string>> skipped;
  // The rewritten modules, staged next to their files until committed.
  std::vector<std::unique_ptr<util::StagedFile>> staged;
};

// Reads every WebAssembly module among `walked` and stages the ones
// without a build_id custom section with one appended (derived from their
// bytes); changes nothing on disk but temporary files. With `dry_run`,
// nothing is staged; with `skip_invalid`, a file that is not a module is
// skipped instead of being an error.
WasmBuildIds
prepare_build_ids(const std::vector<discovery::DiscoveredFile> &walked,
                  bool dry_run, bool skip_invalid);

// Replaces the modules prepare_build_ids staged: synced, journaled in
// `journal_folder`, renamed.
void commit_build_ids(WasmBuildIds &ids,
                      const std::filesystem::path &journal_folder);

} // namespace uploader::inject
