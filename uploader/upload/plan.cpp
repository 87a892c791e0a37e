#include "uploader/upload/plan.hpp"

#include "uploader/discovery/references.hpp"
#include "uploader/discovery/walk.hpp"
#include "uploader/sourcemap/json.hpp"
#include "uploader/sourcemap/source_map.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/utf8.hpp"

#include <map>

namespace uploader::upload {

namespace fs = std::filesystem;

std::string artifact_url(std::string_view prefix, std::string_view relative) {
  std::string url(prefix);
  if (url.ends_with('/')) {
    url.pop_back();
  }
  return url + "/" + std::string(relative);
}

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

// What one walked file turned out to be.
struct Scanned {
  discovery::DiscoveredFile file;
  bool is_map = false;
  std::optional<std::string> debug_id;
  std::optional<std::string> location; // JS: map location as written
};

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

} // namespace

UploadPlan plan_upload(const PlanOptions &options) {
  discovery::WalkOptions walk_options;
  walk_options.roots = options.roots;
  walk_options.extensions = options.extensions;
  walk_options.ignores = options.ignores;
  walk_options.ignore_file_lines = options.ignore_file_lines;
  UploadPlan plan;

  std::vector<Scanned> scanned;
  for (auto &file : discovery::walk(walk_options)) {
    // Each file is read once here and again by the bundle writer; the
    // second read comes from the page cache, and nothing stays in memory.
    std::string text = util::read_file(file.path);
    if (!util::is_valid_utf8(text)) {
      plan.warnings.push_back("skipping " + file.url +
                              ": not valid UTF-8 (Sentry stores text only)");
      continue;
    }
    Scanned entry{std::move(file), false, std::nullopt, std::nullopt};
    bool is_map = sourcemap::is_sourcemap(text); // one scan of the file
    if (entry.file.url.ends_with(".map") && !is_map) {
      reject_malformed_map(entry.file.path, text);
    }
    if (is_map) {
      entry.is_map = true;
      entry.debug_id = read_map_debug_id(text);
    } else {
      if (auto id = discovery::find_js_debug_id(text)) {
        entry.debug_id = id->to_string();
      }
      if (auto location = discovery::find_sourcemap_location(text);
          location && !discovery::is_remote_sourcemap(*location)) {
        entry.location = std::string(*location);
      }
    }
    scanned.push_back(std::move(entry));
  }

  std::vector<discovery::FileFacts> facts;
  std::vector<std::string> map_urls;
  std::map<std::string, const Scanned *> by_url;
  for (const auto &entry : scanned) {
    facts.push_back({entry.file.url,
                     entry.is_map ? discovery::FileKind::sourcemap
                                  : discovery::FileKind::source,
                     entry.location});
    if (entry.is_map) {
      map_urls.push_back(entry.file.url);
    }
    by_url[entry.file.url] = &entry;
  }
  auto references = discovery::collect_sourcemap_references(facts);

  for (const auto &entry : scanned) {
    bundle::BundleInput input;
    input.path = entry.file.path;
    input.url = artifact_url(options.url_prefix, entry.file.relative);
    if (entry.debug_id) {
      input.headers["debug-id"] = *entry.debug_id;
    }
    if (entry.is_map) {
      input.type = bundle::SourceFileType::source_map;
      plan.maps.push_back({entry.file.path, entry.file.root});
      plan.files.push_back(std::move(input));
      continue;
    }
    input.type = bundle::SourceFileType::minified_source;
    ++plan.source_count;
    auto found = references.find(entry.file.url);
    if (found != references.end()) {
      for (const auto &warning : found->second.warnings) {
        plan.warnings.push_back(warning);
      }
      if (const auto &reference = found->second.reference) {
        if (options.sourcemap_headers) {
          input.headers["sourcemap"] = reference->url;
        }
        ++plan.referencing_sources;
        std::string map_url =
            reference->guessed_path
                ? *reference->guessed_path
                : discovery::resolve_external_reference(
                      entry.file.url, reference->url, map_urls)
                      .url;
        auto map = by_url.find(map_url);
        if (options.debug_id_reference && !entry.debug_id &&
            map != by_url.end() && map->second->debug_id) {
          // --debug-id-reference: the JS file takes its map's debug id.
          input.headers["debug-id"] = *map->second->debug_id;
        }
        if (input.headers.contains("debug-id")) {
          ++plan.referencing_sources_with_debug_id;
        }
        if (map != by_url.end()) {
          plan.links.push_back({entry.file.path, map->second->file.path,
                                !reference->guessed_path.has_value()});
        } else if (!reference->url.starts_with("data:")) {
          plan.warnings.push_back(
              entry.file.url + " references the source map " + reference->url +
              ", which is not among the uploaded files; errors in it will "
              "not be symbolicated");
        }
      }
    }
    plan.files.push_back(std::move(input));
  }
  return plan;
}

} // namespace uploader::upload
