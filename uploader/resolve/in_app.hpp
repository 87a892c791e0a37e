#pragma once

#include <optional>
#include <string>
#include <string_view>

// How Sentry decides whether a symbolicated JavaScript frame is the app's
// own code (getsentry/symbolicator, symbolicator-js: `is_in_app` on the
// frame's new abs_path and filename; a frame it cannot decide keeps the
// SDK's `in_app`).
namespace uploader::resolve {

// Sentry's rule: an abs_path starting with `webpack:` is in app iff the
// filename starts with `./` and has no `/node_modules/`; one starting with
// `app:` iff the filename has no `node_modules/` at a word boundary; any
// other abs_path containing `/node_modules/` is not in app. nullopt: the
// path does not decide (keep the SDK's flag).
std::optional<bool> in_app_by_path(std::string_view abs_path,
                                   std::string_view filename);

// The frame's `filename` as Sentry derives it from a map's `sources` entry:
// `webpack:` sources lose their scheme and namespace (`webpack://app/./a.js`
// → `./a.js`, `webpack:///a.js` → `a.js`, `…/~/a.js` → `~/a.js`); other
// sources stay as they are.
std::string sentry_filename(std::string_view source);

// The frame's new `abs_path` as Sentry writes it: `source` joined onto the
// map's URL (`map_url`, e.g. `https://host/assets/a.js.map`). Sources with
// a scheme, or `webpack:` ones, stay as they are; `.` and `..` are resolved.
std::string sentry_abs_path(std::string_view map_url, std::string_view source);

// The map's URL as Sentry sees it for a frame at `frame_abs_path`: an
// artifact URL (`~/assets/a.js.map`) placed on the frame's origin
// (`https://host/assets/a.js.map`); other URLs unchanged.
std::string map_url_for_frame(std::string_view frame_abs_path,
                              std::string_view map_url);

// The in_app Sentry stores for a frame resolved to `source` through the map
// at `map_url`: decided by the paths, else the SDK's `sdk_in_app`.
std::optional<bool> symbolicated_in_app(std::string_view frame_abs_path,
                                        std::string_view map_url,
                                        std::string_view source,
                                        std::optional<bool> sdk_in_app);

} // namespace uploader::resolve
