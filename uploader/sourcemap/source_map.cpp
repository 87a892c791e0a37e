#include "uploader/sourcemap/source_map.hpp"

#include <algorithm>
#include <charconv>

namespace uploader::sourcemap {

namespace {

constexpr int k_max_map_depth = 64;

bool is_junk_byte(char c) {
  return c == ')' || c == ']' || c == '}' || c == '\'';
}

std::uint32_t read_u32(JsonReader &reader, std::string_view field) {
  if (reader.peek_type() != JsonType::number) {
    reader.fail("\"" + std::string(field) + "\" must be an unsigned integer");
  }
  std::size_t at = reader.pos();
  std::string_view text = reader.read_number();
  if (text == "-0") {
    return 0;
  }
  std::uint32_t value = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    reader.fail_at("\"" + std::string(field) +
                       "\" must be an unsigned 32-bit integer",
                   at);
  }
  return value;
}

std::optional<JsonString> read_optional_string(JsonReader &reader,
                                               std::string_view field) {
  if (reader.consume_null()) {
    return std::nullopt;
  }
  if (reader.peek_type() != JsonType::string) {
    reader.fail("\"" + std::string(field) + "\" must be a string");
  }
  return reader.read_string();
}

// Reads `null` or an array, calling `element` for each entry.
template <typename F>
bool read_optional_array(JsonReader &reader, std::string_view field,
                         F &&element) {
  if (reader.consume_null()) {
    return false;
  }
  if (reader.peek_type() != JsonType::array) {
    reader.fail("\"" + std::string(field) + "\" must be an array");
  }
  reader.expect('[');
  bool first = true;
  while (reader.next_member(first, ']')) {
    element();
  }
  return true;
}

void check_duplicate(JsonReader &reader, std::vector<std::string> &seen,
                     std::string_view key, std::size_t at) {
  if (std::ranges::find(seen, key) != seen.end()) {
    reader.fail_at("duplicate field \"" + std::string(key) + "\"", at);
  }
  seen.emplace_back(key);
}

JsonString own(ParsedMap &map, std::string value) {
  map.owned.push_back(std::move(value));
  return JsonString{map.owned.back(), false};
}

std::string read_facebook_sources(JsonReader &reader) {
  std::string out = "[";
  bool first_source = true;
  read_optional_array(reader, "x_facebook_sources", [&] {
    out += first_source ? "" : ",";
    first_source = false;
    if (reader.consume_null()) {
      out += "null";
      return;
    }
    out += "[";
    bool first_scope = true;
    read_optional_array(reader, "x_facebook_sources", [&] {
      out += first_scope ? "" : ",";
      first_scope = false;
      if (reader.peek_type() != JsonType::object) {
        reader.fail("x_facebook_sources entries must be objects");
      }
      reader.expect('{');
      std::optional<std::string> names;
      std::optional<std::string> mappings;
      bool first = true;
      while (reader.next_member(first, '}')) {
        std::string key = reader.read_string().decode();
        reader.expect(':');
        if (key == "names" && !names) {
          std::string list = "[";
          bool first_name = true;
          if (!read_optional_array(reader, "names", [&] {
                list += first_name ? "" : ",";
                first_name = false;
                if (reader.peek_type() != JsonType::string) {
                  reader.fail("\"names\" entries must be strings");
                }
                append_json_string(list, reader.read_string());
              })) {
            reader.fail("\"names\" must be an array");
          }
          names = list + "]";
        } else if (key == "mappings" && !mappings) {
          if (reader.peek_type() != JsonType::string) {
            reader.fail("\"mappings\" must be a string");
          }
          std::string text;
          append_json_string(text, reader.read_string());
          mappings = text;
        } else if (key == "names" || key == "mappings") {
          reader.fail("duplicate field \"" + key + "\"");
        } else {
          reader.skip_value();
        }
      }
      if (!names || !mappings) {
        reader.fail("x_facebook_sources entry lacks names or mappings");
      }
      out += "{\"names\":" + *names + ",\"mappings\":" + *mappings + "}";
    });
    out += "]";
  });
  out += "]";
  return out;
}

std::unique_ptr<ParsedMap> parse_map_object(JsonReader &reader, int depth);

ParsedMap::Section read_section(JsonReader &reader, int depth) {
  if (reader.peek_type() != JsonType::object) {
    reader.fail("a section must be an object");
  }
  std::size_t start = reader.pos();
  reader.expect('{');
  ParsedMap::Section section;
  std::vector<std::string> seen;
  bool have_offset = false;
  bool first = true;
  while (reader.next_member(first, '}')) {
    std::size_t key_at = reader.pos();
    std::string key = reader.read_string().decode();
    reader.expect(':');
    if (key == "offset") {
      check_duplicate(reader, seen, key, key_at);
      if (reader.peek_type() != JsonType::object) {
        reader.fail("\"offset\" must be an object");
      }
      std::size_t offset_at = reader.pos();
      reader.expect('{');
      bool have_line = false;
      bool have_column = false;
      bool first_field = true;
      while (reader.next_member(first_field, '}')) {
        std::size_t field_at = reader.pos();
        std::string field = reader.read_string().decode();
        reader.expect(':');
        if (field == "line" || field == "column") {
          bool &have = field == "line" ? have_line : have_column;
          if (have) {
            reader.fail_at("duplicate field \"" + field + "\"", field_at);
          }
          have = true;
          (field == "line" ? section.line : section.column) =
              read_u32(reader, field);
        } else {
          reader.skip_value();
        }
      }
      if (!have_line || !have_column) {
        reader.fail_at("section offset lacks \"line\" or \"column\"",
                       offset_at);
      }
      have_offset = true;
    } else if (key == "url") {
      check_duplicate(reader, seen, key, key_at);
      section.url = read_optional_string(reader, "url");
    } else if (key == "map") {
      check_duplicate(reader, seen, key, key_at);
      if (!reader.consume_null()) {
        section.map = parse_map_object(reader, depth + 1);
      }
    } else {
      reader.skip_value();
    }
  }
  if (!have_offset) {
    reader.fail_at("section lacks \"offset\"", start);
  }
  return section;
}

std::unique_ptr<ParsedMap> parse_map_object(JsonReader &reader, int depth) {
  if (depth > k_max_map_depth) {
    reader.fail("source map sections nested too deeply");
  }
  if (reader.peek_type() != JsonType::object) {
    reader.fail("a source map must be a JSON object");
  }
  reader.expect('{');
  auto map = std::make_unique<ParsedMap>();
  std::vector<std::string> seen;
  bool has_sections = false;
  bool has_facebook_sources = false;
  std::optional<DebugId> camel_id;
  std::optional<DebugId> legacy_id;
  std::optional<JsonString> mappings;
  std::optional<JsonString> range_mappings;
  // Which of is_sourcemap's fields are present and not null.
  bool has_version = false;
  bool has_file = false;
  bool has_sources_like = false;
  bool first = true;
  while (reader.next_member(first, '}')) {
    std::size_t key_at = reader.pos();
    JsonString raw_key = reader.read_string();
    std::string key = raw_key.decode();
    reader.expect(':');
    if (key == "version") {
      check_duplicate(reader, seen, key, key_at);
      if (!reader.consume_null()) {
        read_u32(reader, "version");
        has_version = true;
      }
    } else if (key == "file") {
      check_duplicate(reader, seen, key, key_at);
      if (reader.consume_null()) {
        continue;
      }
      has_file = true;
      if (reader.peek_type() == JsonType::string) {
        map->file = reader.read_string();
      } else {
        reader.skip_value();
        map->file = JsonString{"<invalid>", false};
      }
    } else if (key == "sources") {
      check_duplicate(reader, seen, key, key_at);
      has_sources_like |= read_optional_array(reader, key, [&] {
        if (reader.consume_null()) {
          map->sources.push_back(JsonString{});
          return;
        }
        if (reader.peek_type() != JsonType::string) {
          reader.fail("\"sources\" entries must be strings or null");
        }
        map->sources.push_back(reader.read_string());
      });
    } else if (key == "sourceRoot") {
      check_duplicate(reader, seen, key, key_at);
      map->source_root = read_optional_string(reader, key);
      has_sources_like |= map->source_root.has_value();
    } else if (key == "sourcesContent") {
      check_duplicate(reader, seen, key, key_at);
      has_sources_like |= read_optional_array(reader, key, [&] {
        if (reader.consume_null()) {
          map->sources_content.emplace_back();
          return;
        }
        if (reader.peek_type() != JsonType::string) {
          reader.fail("\"sourcesContent\" entries must be strings or null");
        }
        map->sources_content.emplace_back(reader.read_string());
      });
    } else if (key == "sections") {
      check_duplicate(reader, seen, key, key_at);
      has_sections = read_optional_array(reader, key, [&] {
        map->sections.push_back(read_section(reader, depth));
      });
    } else if (key == "names") {
      check_duplicate(reader, seen, key, key_at);
      has_sources_like |= read_optional_array(reader, key, [&] {
        JsonType type = reader.peek_type();
        if (type == JsonType::string) {
          map->names.push_back(reader.read_string());
        } else if (type == JsonType::number) {
          map->names.push_back(
              own(*map, json_number_to_string(reader.read_number())));
        } else {
          reader.skip_value();
          map->names.push_back(JsonString{});
        }
      });
    } else if (key == "rangeMappings") {
      check_duplicate(reader, seen, key, key_at);
      range_mappings = read_optional_string(reader, key);
    } else if (key == "mappings") {
      check_duplicate(reader, seen, key, key_at);
      mappings = read_optional_string(reader, key);
    } else if (key == "ignoreList") {
      check_duplicate(reader, seen, key, key_at);
      read_optional_array(reader, key, [&] {
        map->ignore_list.push_back(read_u32(reader, "ignoreList"));
      });
    } else if (key == "x_facebook_offsets") {
      check_duplicate(reader, seen, key, key_at);
      read_optional_array(reader, key, [&] {
        if (!reader.consume_null()) {
          read_u32(reader, "x_facebook_offsets");
        }
      });
    } else if (key == "x_metro_module_paths") {
      check_duplicate(reader, seen, key, key_at);
      read_optional_array(reader, key, [&] {
        if (reader.peek_type() != JsonType::string) {
          reader.fail("\"x_metro_module_paths\" entries must be strings");
        }
        reader.read_string();
      });
    } else if (key == "x_facebook_sources") {
      check_duplicate(reader, seen, key, key_at);
      if (!reader.consume_null()) {
        map->facebook_sources = read_facebook_sources(reader);
        has_facebook_sources = true;
      }
    } else if (key == "debugId" || key == "debug_id") {
      check_duplicate(reader, seen, key, key_at);
      if (reader.consume_null()) {
        continue;
      }
      if (reader.peek_type() != JsonType::string) {
        reader.fail("\"" + key + "\" must be a string");
      }
      std::size_t at = reader.pos();
      std::string text = reader.read_string().decode();
      auto id = DebugId::parse(text);
      if (!id) {
        reader.fail_at("invalid debug id \"" + text + "\"", at);
      }
      (key == "debugId" ? camel_id : legacy_id) = id;
    } else {
      reader.skip_value();
    }
  }
  map->debug_id = camel_id ? camel_id : legacy_id;
  map->passes_is_sourcemap =
      ((has_version || has_file) && has_sources_like && mappings.has_value()) ||
      has_sections;
  if (mappings) {
    if (mappings->escaped) {
      map->mappings = own(*map, mappings->decode());
    } else {
      map->mappings = *mappings;
    }
  }
  if (range_mappings) {
    std::string text = range_mappings->decode();
    map->has_range_mappings = text.find_first_not_of(";A") != std::string::npos;
  }
  std::ranges::sort(map->ignore_list);
  // std::unique, not ranges::unique: clang 14 (the fuzz build) cannot
  // compile the latter against libstdc++ 12.
  map->ignore_list.erase(
      std::unique(map->ignore_list.begin(), map->ignore_list.end()),
      map->ignore_list.end());
  if (has_sections) {
    map->kind = ParsedMap::Kind::index;
    std::ranges::stable_sort(map->sections, [](const auto &a, const auto &b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
  } else if (has_facebook_sources) {
    map->kind = ParsedMap::Kind::hermes;
  }
  return map;
}

void maybe_flush(std::string &out,
                 const std::function<void(std::string &)> &flush) {
  if (flush && out.size() >= k_flush_size) {
    flush(out);
  }
}

void write_map(const ParsedMap &map, const MapWriteOptions &options, bool root,
               std::string &out,
               const std::function<void(std::string &)> &flush) {
  std::optional<DebugId> debug_id = map.debug_id;
  if (root && options.debug_id) {
    debug_id = options.debug_id;
  }
  out += "{\"version\":3";
  if (map.file) {
    out += ",\"file\":";
    append_json_string(out, *map.file);
  }
  if (map.kind == ParsedMap::Kind::index) {
    out += ",\"sources\":null,\"sections\":[";
    bool first = true;
    for (const auto &section : map.sections) {
      out += first ? "" : ",";
      first = false;
      std::uint32_t line = section.line;
      if (root) {
        line += options.section_line_shift;
      }
      out += "{\"offset\":{\"line\":" + std::to_string(line) +
             ",\"column\":" + std::to_string(section.column) + "},\"url\":";
      if (section.url) {
        append_json_string(out, *section.url);
      } else {
        out += "null";
      }
      out += ",\"map\":";
      if (section.map) {
        write_map(*section.map, options, false, out, flush);
      } else {
        out += "null";
      }
      out += "}";
    }
    out += "]";
  } else {
    if (map.has_range_mappings) {
      throw Error("\"rangeMappings\" are not supported");
    }
    out += ",\"sources\":[";
    for (std::size_t i = 0; i < map.sources.size(); ++i) {
      out += i == 0 ? "" : ",";
      append_json_string(out, map.sources[i]);
    }
    out += "]";
    if (map.source_root) {
      out += ",\"sourceRoot\":";
      append_json_string(out, *map.source_root);
    }
    std::size_t content_count =
        std::min(map.sources.size(), map.sources_content.size());
    bool have_contents = false;
    for (std::size_t i = 0; i < content_count; ++i) {
      have_contents = have_contents || map.sources_content[i].has_value();
    }
    if (have_contents) {
      out += ",\"sourcesContent\":[";
      for (std::size_t i = 0; i < map.sources.size(); ++i) {
        out += i == 0 ? "" : ",";
        if (i < content_count && map.sources_content[i]) {
          append_json_string(out, *map.sources_content[i]);
          maybe_flush(out, flush);
        } else {
          out += "null";
        }
      }
      out += "]";
    }
    out += ",\"names\":[";
    for (std::size_t i = 0; i < map.names.size(); ++i) {
      out += i == 0 ? "" : ",";
      append_json_string(out, map.names[i]);
    }
    out += "],\"mappings\":\"";
    maybe_flush(out, flush);
    rewrite_mappings(map.mappings.raw,
                     static_cast<std::uint32_t>(map.sources.size()),
                     static_cast<std::uint32_t>(map.names.size()),
                     root ? options.edit : nullptr, out, flush);
    out += "\"";
    if (!map.ignore_list.empty()) {
      out += ",\"ignoreList\":[";
      for (std::size_t i = 0; i < map.ignore_list.size(); ++i) {
        out += i == 0 ? "" : ",";
        out += std::to_string(map.ignore_list[i]);
      }
      out += "]";
    }
    if (map.facebook_sources) {
      out += ",\"x_facebook_sources\":";
      out += *map.facebook_sources;
    }
  }
  if (debug_id) {
    out += ",\"debugId\":\"" + debug_id->to_string() + "\"";
  }
  out += "}";
  maybe_flush(out, flush);
}

} // namespace

JsonString own_string(ParsedMap &map, std::string_view value) {
  std::string quoted;
  append_json_string(quoted, value);
  map.owned.push_back(quoted.substr(1, quoted.size() - 2));
  const std::string &raw = map.owned.back();
  return JsonString{raw, raw.find('\\') != std::string::npos};
}

std::size_t skip_junk_header(std::string_view text) {
  std::size_t start = text.starts_with(k_utf8_bom) ? k_utf8_bom.size() : 0;
  if (text.size() == start || !is_junk_byte(text[start])) {
    return start;
  }
  bool need_newline = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    char c = text[i];
    if (need_newline && c != '\n') {
      throw JsonError("expected a newline after the junk header", i);
    }
    if (c == '\r') {
      need_newline = true;
    } else if (c == '\n') {
      return i;
    }
  }
  return text.size();
}

ParsedMap parse_source_map(std::string_view text) {
  JsonReader reader(text, skip_junk_header(text));
  auto map = parse_map_object(reader, 0);
  reader.expect_end();
  return std::move(*map);
}

bool is_sourcemap(std::string_view text) {
  try {
    JsonReader reader(text, skip_junk_header(text));
    reader.set_validate_utf8(false);
    if (reader.peek_type() != JsonType::object) {
      return false;
    }
    reader.expect('{');
    std::vector<std::string> seen;
    bool version = false;
    bool file = false;
    bool sources_like = false;
    bool mappings = false;
    bool sections = false;
    static constexpr std::string_view k_known[] = {
        "version",        "file",     "sources", "sourceRoot",
        "sourcesContent", "sections", "names",   "mappings"};
    bool first = true;
    while (reader.next_member(first, '}')) {
      std::size_t key_at = reader.pos();
      std::string key = reader.read_string().decode();
      reader.expect(':');
      bool known = std::ranges::find(k_known, key) != std::end(k_known);
      if (known) {
        check_duplicate(reader, seen, key, key_at);
      }
      if (reader.consume_null()) {
        continue;
      }
      if (key == "version") {
        read_u32(reader, "version");
        version = true;
        continue;
      }
      reader.skip_value();
      file = file || key == "file";
      sources_like = sources_like || key == "sources" || key == "sourceRoot" ||
                     key == "sourcesContent" || key == "names";
      mappings = mappings || key == "mappings";
      sections = sections || key == "sections";
    }
    reader.expect_end();
    return ((version || file) && sources_like && mappings) || sections;
  } catch (const Error &) {
    return false;
  }
}

bool can_shift_sections(const ParsedMap &map, std::uint32_t amount) {
  return std::ranges::all_of(map.sections, [&](const auto &section) {
    return section.line <= k_no_value - amount;
  });
}

void write_source_map(const ParsedMap &map, const MapWriteOptions &options,
                      std::string &out,
                      const std::function<void(std::string &)> &flush) {
  write_map(map, options, true, out, flush);
}

} // namespace uploader::sourcemap
