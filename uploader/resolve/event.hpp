#pragma once

#include "uploader/resolve/artifacts.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::resolve {

// One JavaScript frame of an event and what resolve found for it, in the
// event's order (oldest first, the throwing frame last).
struct FrameResult {
  std::string abs_path;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string function;
  // As Sentry stores it: for a resolved frame decided from its original
  // path (resolve::symbolicated_in_app), else the SDK's flag (false when
  // the event has none).
  bool in_app = false;
  std::optional<std::string> debug_id; // from debug_meta.images
  std::optional<OriginalPosition> original;
  std::string map_url;
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
// is not JSON or has no exception frames.
EventNeeds event_needs(std::string_view event_json, std::string_view what);

// Resolves every JS frame (one with `abs_path`, `lineno` and `colno`) with
// maps from `artifacts`: by the debug id `debug_meta.images` gives its file,
// else by its `~/` URL and the event's release. `context_lines` lines of
// source around each are kept.
EventResult symbolicate_event(std::string_view event_json,
                              std::string_view what, ArtifactSet &artifacts,
                              std::size_t context_lines);

} // namespace uploader::resolve
