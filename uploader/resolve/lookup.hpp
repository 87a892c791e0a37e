#pragma once

#include "uploader/sourcemap/mappings.hpp"
#include "uploader/sourcemap/source_map.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace uploader::resolve {

// Where a minified position came from, as a source map tells it. Lines and
// columns are 1-based, as sentry-cli's resolve and Sentry's frames show them.
struct OriginalPosition {
  std::string source; // the map's `sources` entry, `sourceRoot` applied
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::optional<std::string> name;
  // The original source around `line`, when the map carries its contents.
  std::vector<std::string> pre_context;
  std::optional<std::string> context_line;
  std::vector<std::string> post_context;
};

// Sets the context of `position` from `lines` of its source: line `index`
// (0-based) and up to `context` lines before and after it.
void add_context(OriginalPosition &position,
                 const std::vector<std::string> &lines, std::size_t index,
                 std::size_t context);

// A parsed source map ready for lookups: regular maps and index maps
// (`sections`, looked up in the section that covers the position).
class MapIndex {
public:
  // Parses `text`. Throws sourcemap::JsonError or MappingsError naming
  // neither file nor URL; callers add that.
  explicit MapIndex(std::string text);
  ~MapIndex();
  MapIndex(MapIndex &&) noexcept;
  MapIndex &operator=(MapIndex &&) noexcept;

  // Looks up a 1-based `line` and `column` (0 counts as 1, like sentry-cli)
  // the way rust-sourcemap does: the last mapping at or before the position.
  // Returns nullopt when that mapping has no source, or there is none. With
  // `context_lines`, that many lines before and after are included.
  std::optional<OriginalPosition> lookup(std::uint32_t line,
                                         std::uint32_t column,
                                         std::size_t context_lines) const;

  // How many of the map's sources have no `sourcesContent` (so Sentry shows
  // no code for them), and their names.
  std::vector<std::string> sources_without_content() const;

private:
  struct Node;
  // Heap-held so that the parsed map's views survive moves.
  std::unique_ptr<std::string> m_text;
  std::unique_ptr<Node> m_root;
};

} // namespace uploader::resolve
