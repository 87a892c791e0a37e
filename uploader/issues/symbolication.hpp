#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::issues {

// One in-app frame of an event and whether Sentry showed it resolved.
struct FrameVerdict {
  std::string location; // "src/checkout.js:8:11"
  std::string function;
  bool symbolicated = false;
  std::string reason;
};

// Whether an event's in-app JavaScript frames point at original sources.
struct EventVerdict {
  std::string event_id;
  std::vector<FrameVerdict> frames; // in-app frames only
  // True when every in-app frame is resolved; also true (with no frames)
  // when the event has none, since there is nothing to judge.
  bool symbolicated = true;
};

// Judges an event as GET /api/0/issues/{id}/events/latest/ returns it
// (camelCase frames: absPath, lineNo, colNo, inApp, context, mapUrl) or as
// the SDK sends it (abs_path, lineno, colno, in_app, context_line,
// data.sourcemap). A frame counts as resolved when it names the source map
// Sentry applied, or when it has source context and neither a minified
// file name (`index-4f3a2b1c.js`, `.min.js`) nor a position typical of
// minified code (line 1, column 1000 or more). Frames marked `in_app:
// false`, or in node_modules, are skipped. Throws Error naming `what` when
// the text is not a JSON object.
EventVerdict judge_event(std::string_view event_json, std::string_view what);

// True for file names bundlers give their output: a content hash after
// `-` or `.` (`index-4f3a2b1c.js`, `main.8a1b2c3d.js`) or `.min.js`.
bool is_minified_file_name(std::string_view path);

} // namespace uploader::issues
