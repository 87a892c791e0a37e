#include "uploader/sourcemap/upload_rewrite.hpp"

#include "uploader/sourcemap/flatten.hpp"
#include "uploader/sourcemap/json.hpp"
#include "uploader/sourcemap/rewrite.hpp"
#include "uploader/sourcemap/source_map.hpp"

#include <algorithm>

namespace uploader::sourcemap {

namespace {

// One member of the map's top-level object: from its key's opening quote to
// the end of its value.
struct Member {
  std::string key;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// What a regular map's rewrite reads, without decoding anything else.
struct TopLevel {
  std::vector<Member> members;
  std::vector<std::optional<JsonString>> sources; // nullopt: a JSON null
  std::optional<JsonString> source_root;
  std::vector<std::optional<JsonString>> contents;
  bool has_sections = false;
};

std::vector<std::optional<JsonString>> read_string_array(JsonReader &reader,
                                                         const char *what) {
  std::vector<std::optional<JsonString>> values;
  if (reader.consume_null()) {
    return values;
  }
  if (reader.peek_type() != JsonType::array) {
    reader.fail(std::string("\"") + what + "\" must be an array");
  }
  reader.expect('[');
  bool first = true;
  while (reader.next_member(first, ']')) {
    if (reader.consume_null()) {
      values.emplace_back();
      continue;
    }
    if (reader.peek_type() != JsonType::string) {
      reader.fail(std::string("\"") + what +
                  "\" entries must be strings or null");
    }
    values.emplace_back(reader.read_string());
  }
  return values;
}

TopLevel scan_top_level(std::string_view text, std::size_t start) {
  JsonReader reader(text, start);
  if (reader.peek_type() != JsonType::object) {
    reader.fail("a source map must be a JSON object");
  }
  reader.expect('{');
  TopLevel top;
  bool first = true;
  while (reader.next_member(first, '}')) {
    reader.skip_ws();
    Member member;
    member.begin = reader.pos();
    member.key = reader.read_string().decode();
    reader.expect(':');
    auto duplicate = std::ranges::find(top.members, member.key, &Member::key);
    if (duplicate != top.members.end()) {
      reader.fail_at("duplicate field \"" + member.key + "\"", member.begin);
    }
    if (member.key == "sources") {
      top.sources = read_string_array(reader, "sources");
    } else if (member.key == "sourcesContent") {
      top.contents = read_string_array(reader, "sourcesContent");
    } else if (member.key == "sourceRoot" && !reader.consume_null()) {
      if (reader.peek_type() != JsonType::string) {
        reader.fail("\"sourceRoot\" must be a string");
      }
      top.source_root = reader.read_string();
    } else if (member.key == "sections") {
      top.has_sections = !reader.consume_null();
      if (top.has_sections) {
        reader.skip_value();
      }
    } else if (member.key != "sourceRoot") {
      reader.skip_value();
    }
    member.end = reader.pos();
    top.members.push_back(std::move(member));
  }
  reader.expect_end();
  return top;
}

// Each source's new name (nullopt for a JSON null) and the file that may
// hold its text.
struct NamedSources {
  std::vector<std::optional<std::string>> names;
  std::vector<std::optional<std::filesystem::path>> files;
  bool fold_source_root = false; // the names include the sourceRoot
};

NamedSources name_sources(const std::vector<std::optional<std::string>> &raw,
                          std::string_view source_root,
                          const UploadRewriteOptions &options) {
  NamedSources named;
  named.fold_source_root = options.rewrite_paths && !source_root.empty();
  std::vector<std::string> joined;
  std::vector<std::string> considered; // what the strip prefixes apply to
  for (const auto &source : raw) {
    joined.push_back(join_source_root(source_root, source.value_or("")));
    considered.push_back(options.rewrite_paths ? joined.back()
                                               : source.value_or(""));
  }
  auto prefixes = effective_strip_prefixes(options.strip_prefixes, considered);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (!raw[i]) {
      named.names.emplace_back();
      named.files.emplace_back();
      continue;
    }
    SourcePlace place = place_source(joined[i], options.paths);
    if (auto stripped = strip_first_prefix(considered[i], prefixes)) {
      named.names.emplace_back(std::move(*stripped));
    } else {
      named.names.emplace_back(options.rewrite_paths ? place.name : *raw[i]);
    }
    named.files.push_back(std::move(place.file));
  }
  return named;
}

// The text for each source that has none, where the reader finds one.
std::vector<std::optional<std::string>>
inline_contents(const NamedSources &named, const std::vector<bool> &has_content,
                const UploadRewriteOptions &options) {
  std::vector<std::optional<std::string>> added(named.names.size());
  if (!options.read_source) {
    return added;
  }
  for (std::size_t i = 0; i < named.names.size(); ++i) {
    if (!has_content[i] && named.files[i]) {
      added[i] = options.read_source(*named.files[i]);
    }
  }
  return added;
}

void append_raw_string(std::string &out, const JsonString &value) {
  out += '"';
  out += value.raw;
  out += '"';
}

std::optional<std::string>
rewrite_regular(std::string_view text, std::size_t start, const TopLevel &top,
                const UploadRewriteOptions &options) {
  std::vector<std::optional<std::string>> raw;
  for (const auto &source : top.sources) {
    raw.push_back(source ? std::optional(source->decode()) : std::nullopt);
  }
  std::string root = top.source_root ? top.source_root->decode() : "";
  NamedSources named = name_sources(raw, root, options);
  std::vector<bool> has_content(raw.size());
  for (std::size_t i = 0; i < raw.size() && i < top.contents.size(); ++i) {
    has_content[i] = top.contents[i].has_value();
  }
  auto added = inline_contents(named, has_content, options);
  bool renamed = named.names != raw || named.fold_source_root;
  bool inlined =
      std::ranges::any_of(added, [](const auto &t) { return t.has_value(); });
  if (!renamed && !inlined && start == 0) {
    return std::nullopt;
  }

  auto write_sources = [&](std::string &out) {
    out += "\"sources\":[";
    for (std::size_t i = 0; i < named.names.size(); ++i) {
      out += i == 0 ? "" : ",";
      if (!named.names[i]) {
        out += "null";
      } else if (*named.names[i] == *raw[i]) {
        append_raw_string(out, *top.sources[i]);
      } else {
        append_json_string(out, *named.names[i]);
      }
    }
    out += "]";
  };
  auto write_contents = [&](std::string &out) {
    out += "\"sourcesContent\":[";
    std::size_t count = std::max(raw.size(), top.contents.size());
    for (std::size_t i = 0; i < count; ++i) {
      out += i == 0 ? "" : ",";
      if (i < top.contents.size() && top.contents[i]) {
        append_raw_string(out, *top.contents[i]);
      } else if (i < added.size() && added[i]) {
        append_json_string(out, *added[i]);
      } else {
        out += "null";
      }
    }
    out += "]";
  };

  bool has_contents_member =
      std::ranges::find(top.members, "sourcesContent", &Member::key) !=
      top.members.end();
  std::string out;
  out.reserve(text.size() - start);
  out += '{';
  bool first = true;
  auto separate = [&] {
    out += first ? "" : ",";
    first = false;
  };
  for (const auto &member : top.members) {
    if (member.key == "sourceRoot" && named.fold_source_root) {
      continue;
    }
    separate();
    if (member.key == "sources" && renamed) {
      write_sources(out);
    } else if (member.key == "sourcesContent" && inlined) {
      write_contents(out);
    } else {
      out.append(text.substr(member.begin, member.end - member.begin));
    }
    if (member.key == "sources" && inlined && !has_contents_member) {
      separate(); // the texts go right after the sources they belong to
      write_contents(out);
    }
  }
  out += '}';
  return out;
}

std::string rewrite_index(std::string_view text,
                          const UploadRewriteOptions &options) {
  ParsedMap index = parse_source_map(text);
  ParsedMap flat = flatten_index_map(index);
  std::vector<std::optional<std::string>> raw;
  for (const auto &source : flat.sources) {
    raw.emplace_back(source.decode());
  }
  NamedSources named = name_sources(raw, "", options);
  std::vector<bool> has_content(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    has_content[i] = flat.sources_content[i].has_value();
  }
  auto added = inline_contents(named, has_content, options);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    flat.sources[i] = own_string(flat, *named.names[i]);
    if (added[i]) {
      flat.sources_content[i] = own_string(flat, *added[i]);
    }
  }
  std::string out;
  write_source_map(flat, MapWriteOptions{}, out);
  return out;
}

} // namespace

std::optional<std::string>
rewrite_map_for_upload(std::string_view text,
                       const UploadRewriteOptions &options) {
  std::size_t start = skip_junk_header(text);
  TopLevel top = scan_top_level(text, start);
  if (top.has_sections) { // rare: only index maps pay for a full parse
    return rewrite_index(text, options);
  }
  return rewrite_regular(text, start, top, options);
}

} // namespace uploader::sourcemap
