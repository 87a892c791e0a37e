#pragma once

#include "uploader/sourcemap/debug_id.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::discovery {

// The only data-URL form sentry-cli decodes as an embedded map.
constexpr std::string_view k_data_url_prefix = "data:application/json;base64,";

// Value of the last `//# <name>=` comment (`//@ ` too with `allow_at`),
// anywhere in `text`: leading ASCII whitespace skipped, cut at the next.
std::optional<std::string_view>
find_magic_comment(std::string_view text, std::string_view name, bool allow_at);

// The map location written in a JS file (last sourceMappingURL comment),
// with `?query` and `#fragment` removed. `js` must be valid UTF-8.
std::optional<std::string_view> find_sourcemap_location(std::string_view js);

// The last `//# debugId=` of a JS file, if it parses.
std::optional<sourcemap::DebugId> find_js_debug_id(std::string_view js);

// True for locations sentry-cli ignores: URLs with a scheme other than
// `data`, and `/absolute` paths that do not exist locally.
bool is_remote_sourcemap(std::string_view location);

// Joins a map reference to the JS file's folder, cleaning `.`/`..` and
// keeping leading `./` (sentry-cli's normalize_sourcemap_url).
std::string normalize_sourcemap_url(std::string_view source_url,
                                    std::string_view sourcemap_url);

// The candidates equal to `expected` (ignoring `.` segments), or else those
// that differ from it in exactly one segment that is not the file name.
std::vector<std::string>
find_matching_paths(const std::vector<std::string> &candidates,
                    std::string_view expected);

enum class FileKind { source, sourcemap };

// What reference discovery needs to know about one walked file.
struct FileFacts {
  std::string url; // as walked, '/' separators
  FileKind kind = FileKind::source;
  // For sources: the written map location, remote ones already dropped
  // (nullopt for non-UTF-8 files).
  std::optional<std::string> location;
};

struct SourcemapReference {
  // As written in the file, or the guessed basename form ("app.js.map").
  std::string url;
  // For guesses: the full guessed path ("./dist/app.js.map").
  std::optional<std::string> guessed_path;
};

struct SourceReference {
  std::optional<SourcemapReference> reference;
  std::vector<std::string> warnings;
};

// sentry-cli's collect_sourcemap_references: for every source file, the
// written location, else a unique guess among the map files (`X.map`,
// `X.<ext>.map`, `X.<ext without min.>.map`, `X.<ext, last part map>`).
// A guess already referenced explicitly by another file, or guessed by
// several files, is given to none (with a warning).
std::map<std::string, SourceReference>
collect_sourcemap_references(const std::vector<FileFacts> &files);

// Where an external reference points: the matching map url (exact, or the
// unique one-segment-off candidate), else the normalized path. `ambiguous`
// lists the candidates when there were several.
struct ResolvedReference {
  std::string url;
  std::vector<std::string> ambiguous;
};
ResolvedReference
resolve_external_reference(std::string_view source_url,
                           std::string_view reference,
                           const std::vector<std::string> &sourcemap_urls);

} // namespace uploader::discovery
