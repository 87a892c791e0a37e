#include "uploader/resolve/lookup.hpp"

#include "uploader/util/strings.hpp"

#include <algorithm>

namespace uploader::resolve {

namespace {

using sourcemap::k_no_value;
using sourcemap::ParsedMap;
using sourcemap::Token;

bool is_absolute_url(std::string_view source) {
  return source.find("://") != std::string_view::npos ||
         source.starts_with('/');
}

} // namespace

// One map of the tree: a regular map with its decoded tokens, or an index
// map with its sections.
struct MapIndex::Node {
  const ParsedMap *map = nullptr;
  std::vector<Token> tokens; // sorted by generated (line, column)
  struct Section {
    std::uint32_t line;
    std::uint32_t column;
    std::unique_ptr<Node> node;
  };
  std::vector<Section> sections;
  ParsedMap owned_root; // only used by the root

  void build(const ParsedMap &parsed) {
    map = &parsed;
    if (parsed.kind == ParsedMap::Kind::index) {
      for (const auto &section : parsed.sections) {
        if (!section.map) {
          continue; // a `url` section: nothing to look up locally
        }
        auto node = std::make_unique<Node>();
        node->build(*section.map);
        sections.push_back({section.line, section.column, std::move(node)});
      }
      return;
    }
    std::string mappings = parsed.mappings.decode();
    sourcemap::MappingsDecoder decoder(
        mappings, static_cast<std::uint32_t>(parsed.sources.size()),
        static_cast<std::uint32_t>(parsed.names.size()));
    std::vector<Token> line;
    while (decoder.next_line(line)) {
      tokens.insert(tokens.end(), line.begin(), line.end());
    }
  }

  std::optional<OriginalPosition>
  lookup(std::uint32_t line, std::uint32_t column, std::size_t context) const {
    if (!sections.empty() || map->kind == ParsedMap::Kind::index) {
      const Section *found = nullptr;
      for (const auto &section : sections) {
        if (std::pair(section.line, section.column) <=
            std::pair(line, column)) {
          found = &section;
        }
      }
      if (found == nullptr) {
        return std::nullopt;
      }
      std::uint32_t inner_column =
          line == found->line ? column - found->column : column;
      return found->node->lookup(line - found->line, inner_column, context);
    }
    auto after = std::upper_bound(
        tokens.begin(), tokens.end(), std::pair(line, column),
        [](const std::pair<std::uint32_t, std::uint32_t> &position,
           const Token &token) {
          return position < std::pair(token.dst_line, token.dst_col);
        });
    if (after == tokens.begin()) {
      return std::nullopt;
    }
    const Token &token = *std::prev(after);
    if (token.src_id == k_no_value || token.src_id >= map->sources.size()) {
      return std::nullopt;
    }
    OriginalPosition position;
    position.source = map->sources[token.src_id].decode();
    if (map->source_root && !is_absolute_url(position.source)) {
      std::string root = map->source_root->decode();
      if (!root.empty()) {
        position.source =
            root + (root.ends_with('/') ? "" : "/") + position.source;
      }
    }
    position.line = token.src_line + 1;
    position.column = token.src_col + 1;
    if (token.name_id != k_no_value && token.name_id < map->names.size()) {
      position.name = map->names[token.name_id].decode();
    }
    if (token.src_id < map->sources_content.size() &&
        map->sources_content[token.src_id]) {
      add_context(
          position,
          util::split_lines(map->sources_content[token.src_id]->decode()),
          token.src_line, context);
    }
    return position;
  }

  void missing_content(std::vector<std::string> &out) const {
    for (const auto &section : sections) {
      section.node->missing_content(out);
    }
    if (map->kind == ParsedMap::Kind::index) {
      return;
    }
    for (std::size_t i = 0; i < map->sources.size(); ++i) {
      bool has = i < map->sources_content.size() && map->sources_content[i];
      if (!has) {
        out.push_back(map->sources[i].decode());
      }
    }
  }
};

MapIndex::MapIndex(std::string text)
    : m_text(std::make_unique<std::string>(std::move(text))),
      m_root(std::make_unique<Node>()) {
  m_root->owned_root = sourcemap::parse_source_map(*m_text);
  m_root->build(m_root->owned_root);
}

MapIndex::~MapIndex() = default;
MapIndex::MapIndex(MapIndex &&) noexcept = default;
MapIndex &MapIndex::operator=(MapIndex &&) noexcept = default;

std::optional<OriginalPosition> MapIndex::lookup(std::uint32_t line,
                                                 std::uint32_t column,
                                                 std::size_t context) const {
  return m_root->lookup(line > 0 ? line - 1 : 0, column > 0 ? column - 1 : 0,
                        context);
}

std::vector<std::string> MapIndex::sources_without_content() const {
  std::vector<std::string> out;
  m_root->missing_content(out);
  return out;
}

void add_context(OriginalPosition &position,
                 const std::vector<std::string> &lines, std::size_t index,
                 std::size_t context) {
  if (index >= lines.size()) {
    return;
  }
  position.context_line = lines[index];
  for (std::size_t i = index > context ? index - context : 0; i < index; ++i) {
    position.pre_context.push_back(lines[i]);
  }
  for (std::size_t i = index + 1; i < lines.size() && i <= index + context;
       ++i) {
    position.post_context.push_back(lines[i]);
  }
}

} // namespace uploader::resolve
