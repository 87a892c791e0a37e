#include "uploader/sourcemap/flatten.hpp"

#include "uploader/sourcemap/mappings.hpp"
#include "uploader/sourcemap/source_paths.hpp"

#include <algorithm>
#include <unordered_map>

namespace uploader::sourcemap {

namespace {

// Where a section's tokens stop: the next section's start.
struct Position {
  std::uint32_t line = k_no_value;
  std::uint32_t column = k_no_value;
  friend auto operator<=>(const Position &, const Position &) = default;
};

class Flattener {
public:
  explicit Flattener(const ParsedMap &index) {
    m_out.file = index.file;
    m_out.debug_id = index.debug_id;
    m_out.passes_is_sourcemap = true;
  }

  void add(const ParsedMap &map, Position offset, Position end) {
    if (map.kind == ParsedMap::Kind::index) {
      add_sections(map, offset, end);
    } else {
      add_tokens(map, offset, end);
    }
  }

  ParsedMap finish() {
    std::string mappings;
    MappingsEncoder encoder(mappings);
    for (const Token &token : m_tokens) {
      encoder.add(token);
    }
    m_out.owned.push_back(std::move(mappings));
    m_out.mappings = JsonString{m_out.owned.back(), false};
    m_out.ignore_list.assign(m_ignored.begin(), m_ignored.end());
    std::ranges::sort(m_out.ignore_list);
    return std::move(m_out);
  }

private:
  void add_sections(const ParsedMap &map, Position offset, Position end) {
    for (std::size_t i = 0; i < map.sections.size(); ++i) {
      const auto &section = map.sections[i];
      if (!section.map) {
        throw Error("cannot flatten the index map: section " +
                    std::to_string(i) + " names its map by URL (" +
                    (section.url ? section.url->decode() : "none") +
                    ") instead of embedding it; upload the map it names, or "
                    "pass --no-rewrite to upload the index map as it is");
      }
      Position start = shifted(offset, section.line, section.column);
      Position stop = end;
      if (i + 1 < map.sections.size()) {
        const auto &next = map.sections[i + 1];
        stop = std::min(stop, shifted(offset, next.line, next.column));
      }
      add(*section.map, start, stop);
    }
  }

  // A position `line`/`column` inside a section that starts at `offset`.
  static Position shifted(Position offset, std::uint32_t line,
                          std::uint32_t column) {
    return {offset.line + line, line == 0 ? offset.column + column : column};
  }

  void add_tokens(const ParsedMap &map, Position offset, Position end) {
    std::string root = map.source_root ? map.source_root->decode() : "";
    std::vector<std::uint32_t> source_ids;
    for (std::size_t i = 0; i < map.sources.size(); ++i) {
      std::uint32_t id =
          intern_source(join_source_root(root, map.sources[i].decode()));
      if (i < map.sources_content.size() && map.sources_content[i] &&
          !m_out.sources_content[id]) {
        m_out.sources_content[id] = map.sources_content[i];
      }
      if (std::ranges::binary_search(map.ignore_list, i)) {
        m_ignored.push_back(id);
      }
      source_ids.push_back(id);
    }
    std::vector<std::uint32_t> name_ids;
    for (const auto &name : map.names) {
      name_ids.push_back(intern_name(name));
    }
    MappingsDecoder decoder(map.mappings.raw,
                            static_cast<std::uint32_t>(map.sources.size()),
                            static_cast<std::uint32_t>(map.names.size()));
    std::vector<Token> line;
    while (decoder.next_line(line)) {
      for (Token token : line) {
        Position at = shifted(offset, token.dst_line, token.dst_col);
        if (at >= end) {
          return; // the next section owns the rest
        }
        token.dst_line = at.line;
        token.dst_col = at.column;
        if (token.src_id != k_no_value) {
          token.src_id = source_ids[token.src_id];
        }
        if (token.name_id != k_no_value) {
          token.name_id = name_ids[token.name_id];
        }
        m_tokens.push_back(token);
      }
    }
  }

  std::uint32_t intern_source(const std::string &name) {
    auto [it, added] = m_source_ids.try_emplace(
        name, static_cast<std::uint32_t>(m_out.sources.size()));
    if (added) {
      m_out.sources.push_back(own_string(m_out, name));
      m_out.sources_content.emplace_back();
    }
    return it->second;
  }

  std::uint32_t intern_name(const JsonString &name) {
    auto [it, added] = m_name_ids.try_emplace(
        name.decode(), static_cast<std::uint32_t>(m_out.names.size()));
    if (added) {
      m_out.names.push_back(name);
    }
    return it->second;
  }

  ParsedMap m_out;
  std::unordered_map<std::string, std::uint32_t> m_source_ids;
  std::unordered_map<std::string, std::uint32_t> m_name_ids;
  std::vector<Token> m_tokens;
  std::vector<std::uint32_t> m_ignored;
};

} // namespace

ParsedMap flatten_index_map(const ParsedMap &index) {
  Flattener flattener(index);
  flattener.add(index, Position{0, 0}, Position{});
  ParsedMap flat = flattener.finish();
  flat.ignore_list.erase(
      std::unique(flat.ignore_list.begin(), flat.ignore_list.end()),
      flat.ignore_list.end());
  return flat;
}

} // namespace uploader::sourcemap
