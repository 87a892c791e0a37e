#pragma once

#include "uploader/resolve/artifacts.hpp"
#include "uploader/resolve/wasm_modules.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::resolve {

// One JavaScript or WebAssembly frame of an event and what resolve found
// for it, in the event's order (oldest first, the throwing frame last).
struct FrameResult {
  std::string abs_path; // WebAssembly: the module's URL (its code_file)
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string function;
  // As Sentry stores it: for a resolved frame decided from its original
  // path (resolve::symbolicated_in_app), else the SDK's flag (false when
  // the event has none).
  bool in_app = false;
  std::optional<std::string> debug_id; // from debug_meta.images
  std::optional<OriginalPosition> original;
  // WebAssembly frames: the module offset and the module's code ID.
  std::optional<std::uint64_t> instruction_addr;
  std::string code_id;
  std::string map_url; // WebAssembly: the debug file the line came from
  FoundBy found_by = FoundBy::url;
  std::string why; // when `original` is empty
};

// What an event needs to be resolved: its release and dist, and each JS
// frame's location and debug id (for asking a server for bundles).
struct EventNeeds {
  std::optional<std::string> release;
  std::optional<std::string> dist;
  struct Frame {
    std::string abs_path;
    std::optional<std::string> debug_id;
  };
  std::vector<Frame> frames;
  // The `wasm` images of debug_meta that WebAssembly frames point at.
  struct WasmImage {
    std::string code_id;
    std::string debug_id; // normalised UUID, for asking a server
    std::string code_file;
  };
  std::vector<WasmImage> wasm_images;
  std::size_t wasm_frames = 0;
};

struct EventResult {
  std::vector<FrameResult> frames;
  // The event with each resolved frame rewritten the way Sentry stores it
  // (original file, line, column, context, `data.sourcemap`, `in_app`), and
  // the minified frames kept in `raw_stacktrace`.
  std::string symbolicated_json;
};

// Reads an event as the SDK sends it (`exception.values`) or as the API
// returns it (`entries[type=exception]`). Throws Error naming `what` when it
// is not JSON or has neither JavaScript nor WebAssembly exception frames.
EventNeeds event_needs(std::string_view event_json, std::string_view what);

// Resolves every JS frame (one with `abs_path`, `lineno` and `colno`) with
// maps from `artifacts`: by the debug id `debug_meta.images` gives its file,
// else by its `~/` URL and the event's release. Resolves every WebAssembly
// frame (`instruction_addr` with `addr_mode: rel:N`, N a `wasm` image) with
// the DWARF of the module in `modules` whose code ID the image names, as
// @sentry/wasm reports them. `context_lines` lines of source around each are
// kept (for WebAssembly, when the source file is on this machine).
EventResult symbolicate_event(std::string_view event_json,
                              std::string_view what, ArtifactSet &artifacts,
                              WasmModules &modules, std::size_t context_lines);

} // namespace uploader::resolve
