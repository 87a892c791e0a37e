#pragma once

#include "uploader/discovery/walk.hpp"
#include "uploader/inject/wasm_build_ids.hpp"
#include "uploader/sourcemap/debug_id.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace uploader::inject {

struct InjectOptions {
  std::vector<std::string> roots;
  // JavaScript extensions to inject (maps are always collected).
  std::vector<std::string> extensions = discovery::k_inject_extensions;
  std::vector<std::string> ignores;
  std::vector<std::string> ignore_file_lines; // see discovery::WalkOptions
  bool dry_run = false;
  bool skip_invalid = false;
};

struct Item {
  std::string path;
  sourcemap::DebugId debug_id;
};

struct Report {
  std::vector<Item> injected;
  std::vector<Item> sourcemaps;
  std::vector<Item> previously_injected;
  std::vector<Item> skipped_sourcemaps;
  std::vector<std::pair<std::string, std::string>> skipped;
  std::map<std::string, std::vector<std::string>> warnings;
  // WebAssembly modules (.wasm) given a build ID, and those that had one.
  std::vector<WasmModuleItem> build_ids_given;
  std::vector<WasmModuleItem> build_ids_kept;
};

struct InjectResult {
  Report report;
  size_t files_found = 0;
  // Files replaced to finish an earlier run that was killed mid-commit.
  size_t recovered = 0;
  // When not empty, nothing was changed: one message per bad file.
  std::vector<std::string> errors;
  // Whether --skip-invalid would have skipped every one of them.
  bool errors_skippable = true;
};

// Adds Sentry debug ids to the JS files under `options.roots` and to their
// source maps, byte for byte as `sentry-cli sourcemaps inject` 3.8 does,
// and a build_id section to each WebAssembly module that has none.
// Every output is staged next to its file first and nothing is replaced
// unless every file succeeded (or `skip_invalid` skips the bad ones); each
// replacement is written to a temporary file, synced and renamed.
InjectResult inject_debug_ids(const InjectOptions &options);

} // namespace uploader::inject
