#pragma once

#include "uploader/bundle/bundle_reader.hpp"
#include "uploader/resolve/lookup.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::resolve {

// A JS file or source map resolve can use, named by its artifact URL
// (`~/assets/index.js`), from a local folder or from an artifact bundle.
struct Artifact {
  std::string url;
  bool is_map = false;
  std::optional<std::string> debug_id;  // normalised
  std::optional<std::string> sourcemap; // JS: its map reference, as written
  std::filesystem::path path;           // local files: where to read it
  std::string contents;                 // bundle files: the bytes
  std::optional<std::string> release;   // bundle files: the bundle's release
  std::string origin; // for messages: the folder or bundle it came from
};

// How a map (or, for WebAssembly, a debug file) was found for a frame.
enum class FoundBy { debug_id, url, map_file, build_id };

std::string_view to_string(FoundBy found_by);

// A map found for a minified file, ready for lookups.
struct FoundMap {
  const MapIndex *index = nullptr;
  std::string map_url; // the map's artifact URL (or path)
  std::string js_url;  // the minified file's artifact URL, when known
  FoundBy found_by = FoundBy::url;
};

// The JS files and maps of one or more folders and bundles, with the
// lookups resolve needs. Maps are parsed once, when first used.
class ArtifactSet {
public:
  // Walks `folder` like `upload` does (the same plan: JS files paired with
  // their maps, debug ids read). Throws Error when it does not exist.
  void add_folder(const std::filesystem::path &folder);
  // Adds every file of a bundle read from `origin`.
  void add_bundle(bundle::ReadBundle bundle, const std::string &origin);

  bool empty() const { return m_artifacts.empty(); }

  // The artifact URL for a frame's `abs_path` or a file argument:
  // `https://host/a/b.js?x#y` → `~/a/b.js`; `~/a.js` and paths unchanged.
  static std::string tilde_url(std::string_view location);

  // The map of the minified file named `file` (an artifact URL, a page URL,
  // or a path relative to a folder: the unique artifact URL that ends with
  // it). Throws UsageError when nothing or several files match.
  FoundMap map_for_file(std::string_view file);

  // The map for a frame: by `debug_id` when given (a map or a minified file
  // with that id), else by the frame's URL (`~/path`, and the bundle's
  // release must equal `release` when both are known). Returns nullopt with
  // the reason in `why`.
  std::optional<FoundMap>
  map_for_frame(const std::optional<std::string> &debug_id,
                std::string_view abs_path,
                const std::optional<std::string> &release, std::string &why);

private:
  std::optional<FoundMap> map_of_js(const Artifact &js, FoundBy found_by,
                                    std::string &why);
  const MapIndex &index_of(const Artifact &map);

  std::vector<std::unique_ptr<Artifact>> m_artifacts;
  std::map<const Artifact *, MapIndex> m_indexes;
};

} // namespace uploader::resolve
