#include "uploader/discovery/pairing.hpp"

#include "uploader/discovery/references.hpp"
#include "uploader/sourcemap/json.hpp"
#include "uploader/sourcemap/source_map.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/utf8.hpp"

#include <map>

namespace uploader::discovery {

namespace fs = std::filesystem;

std::optional<std::string> read_map_debug_id(std::string_view map_text) {
  std::optional<std::string> debug_id;
  std::optional<std::string> debug_id_camel;
  try {
    sourcemap::JsonReader reader(map_text,
                                 sourcemap::skip_junk_header(map_text));
    reader.expect('{');
    bool first = true;
    while (reader.next_member(first, '}')) {
      std::string key = reader.read_string().decode();
      reader.expect(':');
      if ((key == "debug_id" || key == "debugId") &&
          reader.peek_type() == sourcemap::JsonType::string) {
        auto parsed = sourcemap::DebugId::parse(reader.read_string().decode());
        if (parsed) {
          (key == "debug_id" ? debug_id : debug_id_camel) = parsed->to_string();
        }
      } else {
        reader.skip_value();
      }
    }
  } catch (const sourcemap::JsonError &) {
    return std::nullopt;
  }
  return debug_id ? debug_id : debug_id_camel;
}

namespace {

// A `.map` file that is not a source map is a broken build output, not a
// script: say where it breaks instead of uploading it as JavaScript.
[[noreturn]] void reject_malformed_map(const fs::path &path,
                                       std::string_view text) {
  std::string problem = "it is not a source map (no mappings or sources)";
  try {
    sourcemap::parse_source_map(text);
  } catch (const sourcemap::JsonError &error) {
    problem = error.what();
  }
  throw Error("malformed source map " + path.string() + ": " + problem +
              "; fix the build or exclude it with --ignore");
}

// Reads and classifies one file; nullopt (with a warning) when it is not
// UTF-8. `location` receives a JS file's local map location as written.
std::optional<PairedFile> classify(DiscoveredFile file,
                                   std::optional<std::string> &location,
                                   std::vector<std::string> &warnings) {
  // Each file is read once here and again by the bundle writer; the
  // second read comes from the page cache, and nothing stays in memory.
  std::string text = util::read_file(file.path);
  if (!util::is_valid_utf8(text)) {
    warnings.push_back("skipping " + file.url +
                       ": not valid UTF-8 (Sentry stores text only)");
    return std::nullopt;
  }
  PairedFile entry;
  entry.file = std::move(file);
  entry.is_map = sourcemap::is_sourcemap(text); // one scan of the file
  if (entry.file.url.ends_with(".map") && !entry.is_map) {
    reject_malformed_map(entry.file.path, text);
  }
  if (entry.is_map) {
    entry.debug_id = read_map_debug_id(text);
    return entry;
  }
  if (auto id = find_js_debug_id(text)) {
    entry.debug_id = id->to_string();
  }
  if (auto found = find_sourcemap_location(text);
      found && !is_remote_sourcemap(*found)) {
    location = std::string(*found);
  }
  return entry;
}

} // namespace

Pairing pair_files(const WalkOptions &options) {
  Pairing pairing;
  std::vector<FileFacts> facts;
  for (auto &file : walk(options)) {
    std::optional<std::string> location;
    auto entry = classify(std::move(file), location, pairing.warnings);
    if (!entry) {
      continue;
    }
    facts.push_back({entry->file.url,
                     entry->is_map ? FileKind::sourcemap : FileKind::source,
                     std::move(location)});
    pairing.files.push_back(std::move(*entry));
  }

  std::vector<std::string> map_urls;
  std::map<std::string, std::size_t, std::less<>> map_index;
  for (std::size_t i = 0; i < pairing.files.size(); ++i) {
    if (pairing.files[i].is_map) {
      map_urls.push_back(pairing.files[i].file.url);
      map_index[pairing.files[i].file.url] = i;
    }
  }
  auto references = collect_sourcemap_references(facts);
  for (auto &entry : pairing.files) {
    auto found = references.find(entry.file.url);
    if (entry.is_map || found == references.end()) {
      continue;
    }
    for (const auto &warning : found->second.warnings) {
      pairing.warnings.push_back(warning);
    }
    const auto &reference = found->second.reference;
    if (!reference) {
      continue;
    }
    entry.map_reference = reference->url;
    entry.explicit_reference = !reference->guessed_path.has_value();
    std::string map_url = reference->guessed_path
                              ? *reference->guessed_path
                              : resolve_external_reference(
                                    entry.file.url, reference->url, map_urls)
                                    .url;
    if (auto map = map_index.find(map_url); map != map_index.end()) {
      entry.map = map->second;
    } else if (!reference->url.starts_with("data:")) {
      pairing.warnings.push_back(
          entry.file.url + " references the source map " + reference->url +
          ", which is not among the uploaded files; errors in it will "
          "not be symbolicated");
    }
  }
  return pairing;
}

} // namespace uploader::discovery
