#pragma once

#include "uploader/sourcemap/debug_id.hpp"
#include "uploader/sourcemap/json.hpp"
#include "uploader/sourcemap/mappings.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::sourcemap {

// A source map as rust-sourcemap (used by sentry-cli) reads it: only the
// fields it keeps, with the same type rules. Strings are views into the
// parsed text, so that text must outlive the ParsedMap.
struct ParsedMap {
  enum class Kind { regular, index, hermes };

  struct Section {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::optional<JsonString> url;
    std::unique_ptr<ParsedMap> map;
  };

  Kind kind = Kind::regular;
  std::optional<JsonString> file;  // non-string values become "<invalid>"
  std::vector<JsonString> sources; // null entries become ""
  std::optional<JsonString> source_root;
  std::vector<std::optional<JsonString>> sources_content;
  std::vector<JsonString> names; // numbers converted, other values ""
  JsonString mappings;
  bool has_range_mappings = false;
  std::vector<std::uint32_t> ignore_list;      // sorted, unique
  std::optional<std::string> facebook_sources; // re-serialized JSON
  std::vector<Section> sections;
  std::optional<DebugId> debug_id; // `debugId`, else `debug_id`
  // What is_sourcemap() says of the text this map was parsed from (a text
  // that parses is valid JSON, so only the fields present decide).
  bool passes_is_sourcemap = false;

  // Storage for converted values that `JsonString`s point to.
  std::deque<std::string> owned;
};

// Stores `value` in `map.owned` and returns it as a JsonString (escaped the
// way serde_json writes it), for values a rewrite computes.
JsonString own_string(ParsedMap &map, std::string_view value);

// A UTF-8 byte-order mark (Windows tools write one; JSON forbids it, so
// Sentry's parser would not read the map).
inline constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

// Skips a UTF-8 byte-order mark, then rust-sourcemap's "junk header" (a
// first line starting with one of `)]}'`). Returns the offset where JSON
// starts; throws JsonError on a lone `\r`.
std::size_t skip_junk_header(std::string_view text);

// Parses a map. Throws JsonError (malformed JSON or wrong field types, with
// the byte offset).
ParsedMap parse_source_map(std::string_view text);

// sentry-cli's test for "this file is a source map" (rust-sourcemap
// is_sourcemap_slice): a JSON object with `version` (a u32) or `file`, plus
// `mappings` and one of `sources`/`sourceRoot`/`sourcesContent`/`names`; or
// with `sections`. Never throws.
bool is_sourcemap(std::string_view text);

struct MapWriteOptions {
  // Applied to the mappings of a regular or Hermes map (strategy A).
  const LineEdit *edit = nullptr;
  // Added to every section's offset line of an index map (strategy B).
  std::uint32_t section_line_shift = 0;
  // Replaces the root debug id.
  std::optional<DebugId> debug_id;
};

// True if every section line of an index map can be moved by `amount`.
bool can_shift_sections(const ParsedMap &map, std::uint32_t amount);

// Writes `map` as rust-sourcemap serialises it (compact JSON, fixed key
// order, mappings re-encoded). `flush` may be called with `out` to drain it.
// Throws MappingsError on invalid mappings.
void write_source_map(const ParsedMap &map, const MapWriteOptions &options,
                      std::string &out,
                      const std::function<void(std::string &)> &flush = {});

} // namespace uploader::sourcemap
