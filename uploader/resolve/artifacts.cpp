#include "uploader/resolve/artifacts.hpp"

#include "uploader/discovery/pairing.hpp"
#include "uploader/discovery/references.hpp"
#include "uploader/sourcemap/debug_id.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/hash.hpp"
#include "uploader/util/strings.hpp"

namespace uploader::resolve {

namespace {

namespace fs = std::filesystem;

std::optional<std::string> normalized_id(const std::string &text) {
  auto id = sourcemap::DebugId::parse(text);
  return id ? std::optional<std::string>(id->to_string()) : std::nullopt;
}

} // namespace

std::string_view to_string(FoundBy found_by) {
  switch (found_by) {
  case FoundBy::debug_id:
    return "debug-id";
  case FoundBy::url:
    return "url";
  case FoundBy::map_file:
    return "map-file";
  case FoundBy::build_id:
    return "build-id";
  }
  return "url";
}

void ArtifactSet::add_folder(const fs::path &folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    throw Error("folder '" + folder.string() +
                "' does not exist; give the build output folder that still "
                "holds the source maps (before upload --delete-after)");
  }
  discovery::WalkOptions options;
  options.roots = {folder.string()};
  options.extensions = discovery::k_upload_extensions;
  for (const auto &file : discovery::pair_files(options).files) {
    auto artifact = std::make_unique<Artifact>();
    artifact->url = "~/" + file.file.relative; // as upload names it
    artifact->is_map = file.is_map;
    if (file.debug_id) {
      artifact->debug_id = normalized_id(*file.debug_id);
    }
    artifact->sourcemap = file.map_reference;
    artifact->path = file.file.path;
    artifact->origin = folder.string();
    m_artifacts.push_back(std::move(artifact));
  }
}

void ArtifactSet::add_bundle(bundle::ReadBundle read,
                             const std::string &origin) {
  for (auto &file : read.files) {
    auto artifact = std::make_unique<Artifact>();
    artifact->url = file.info.url;
    artifact->is_map = file.info.type == bundle::SourceFileType::source_map;
    const auto &headers = file.info.headers;
    if (auto it = headers.find("debug-id"); it != headers.end()) {
      artifact->debug_id = normalized_id(it->second);
    }
    if (auto it = headers.find("sourcemap"); it != headers.end()) {
      artifact->sourcemap = it->second;
    } else if (auto legacy = headers.find("x-sourcemap");
               legacy != headers.end()) {
      artifact->sourcemap = legacy->second;
    }
    artifact->contents = std::move(file.contents);
    artifact->release = read.attributes.release;
    artifact->origin = origin;
    m_artifacts.push_back(std::move(artifact));
  }
}

std::string ArtifactSet::tilde_url(std::string_view location) {
  std::string_view rest = location;
  if (size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
    size_t slash = rest.find('/');
    rest = slash == std::string_view::npos ? "/" : rest.substr(slash);
  } else {
    return std::string(location);
  }
  rest = rest.substr(0, rest.find_first_of("?#"));
  // Appended, not "~" + std::string(rest): GCC 12 at -O3 reports a false
  // -Wrestrict for that once this file is inlined with others (unity build).
  std::string url = "~";
  url += rest;
  return url;
}

const MapIndex &ArtifactSet::index_of(const Artifact &map) {
  auto found = m_indexes.find(&map);
  if (found != m_indexes.end()) {
    return found->second;
  }
  std::string text =
      map.path.empty() ? map.contents : util::read_file(map.path);
  try {
    return m_indexes.emplace(&map, MapIndex(std::move(text))).first->second;
  } catch (const Error &error) {
    throw Error("malformed source map " + map.url + " (in " + map.origin +
                "): " + error.what());
  }
}

std::optional<FoundMap>
ArtifactSet::map_of_js(const Artifact &js, FoundBy found_by, std::string &why) {
  if (!js.sourcemap) {
    why = js.url + " has no source map reference (no sourceMappingURL and "
                   "no map next to it)";
    return std::nullopt;
  }
  const std::string &reference = *js.sourcemap;
  if (reference.starts_with(discovery::k_data_url_prefix)) {
    auto text = util::base64_decode(
        std::string_view(reference).substr(discovery::k_data_url_prefix.size()),
        false);
    if (!text) {
      why = js.url + " has an inline source map that is not valid base64";
      return std::nullopt;
    }
    auto inline_map = std::make_unique<Artifact>();
    inline_map->url = js.url + " (inline map)";
    inline_map->is_map = true;
    inline_map->contents = std::move(*text);
    inline_map->origin = js.origin;
    const Artifact &stored = *m_artifacts.emplace_back(std::move(inline_map));
    return FoundMap{&index_of(stored), stored.url, js.url, found_by};
  }
  std::string map_url = discovery::normalize_sourcemap_url(js.url, reference);
  for (const auto &artifact : m_artifacts) {
    if (artifact->is_map && artifact->url == map_url &&
        artifact->origin == js.origin) {
      return FoundMap{&index_of(*artifact), artifact->url, js.url, found_by};
    }
  }
  why = js.url + " references " + reference + ", which is not in " + js.origin +
        " (deleted after upload?)";
  return std::nullopt;
}

FoundMap ArtifactSet::map_for_file(std::string_view file) {
  std::string wanted = tilde_url(file);
  while (wanted.starts_with("./")) {
    wanted.erase(0, 2);
  }
  bool direct_map = wanted.ends_with(".map");
  std::vector<const Artifact *> matches;
  for (const auto &artifact : m_artifacts) {
    if (artifact->is_map != direct_map) {
      continue;
    }
    std::string_view url = artifact->url;
    if (url == wanted ||
        (url.ends_with(wanted) && url[url.size() - wanted.size() - 1] == '/')) {
      matches.push_back(artifact.get());
    }
  }
  if (matches.empty()) {
    std::vector<std::string> known;
    for (const auto &artifact : m_artifacts) {
      if (!artifact->is_map && known.size() < 5) {
        known.push_back(artifact->url);
      }
    }
    throw UsageError("no " + std::string(direct_map ? "source map" : "file") +
                     " '" + std::string(file) + "' in " +
                     (m_artifacts.empty() ? std::string("the given files")
                                          : m_artifacts.front()->origin) +
                     (known.empty()
                          ? std::string(" (it has no JS files)")
                          : " (it has " + util::join(known) +
                                (known.size() == 5 ? ", ..." : "") + ")"));
  }
  if (matches.size() > 1) {
    std::vector<std::string> urls;
    for (const auto *match : matches) {
      urls.push_back(match->url);
    }
    throw UsageError("'" + std::string(file) + "' matches several files (" +
                     util::join(urls) + "); give more of its path");
  }
  if (direct_map) {
    return FoundMap{&index_of(*matches.front()), matches.front()->url, "",
                    FoundBy::map_file};
  }
  std::string why;
  auto found = map_of_js(*matches.front(), FoundBy::url, why);
  if (!found) {
    throw Error("cannot resolve: " + why);
  }
  return *found;
}

std::optional<FoundMap> ArtifactSet::map_for_frame(
    const std::optional<std::string> &debug_id, std::string_view abs_path,
    const std::optional<std::string> &release, std::string &why) {
  if (debug_id) {
    auto id = normalized_id(*debug_id);
    for (const auto &artifact : m_artifacts) {
      if (id && artifact->is_map && artifact->debug_id == id) {
        return FoundMap{&index_of(*artifact), artifact->url, "",
                        FoundBy::debug_id};
      }
    }
    for (const auto &artifact : m_artifacts) {
      if (id && !artifact->is_map && artifact->debug_id == id) {
        return map_of_js(*artifact, FoundBy::debug_id, why);
      }
    }
  }
  std::string url = tilde_url(abs_path);
  for (const auto &artifact : m_artifacts) {
    if (artifact->is_map || artifact->url != url) {
      continue;
    }
    if (artifact->release && release && *artifact->release != *release) {
      why = "the file " + url + " is in " + artifact->origin + " for release " +
            *artifact->release + ", not " + *release;
      return std::nullopt;
    }
    return map_of_js(*artifact, FoundBy::url, why);
  }
  why = (debug_id ? "no map with debug id " + *debug_id + " and " : "") +
        std::string("no file ") + url +
        (debug_id ? "" : " (the event names no debug id for it)");
  return std::nullopt;
}

} // namespace uploader::resolve
