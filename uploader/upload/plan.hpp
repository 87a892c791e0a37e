#pragma once

#include "uploader/bundle/artifact_bundle.hpp"
#include "uploader/discovery/walk.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace uploader::upload {

struct PlanOptions {
  std::vector<std::string> roots;
  std::vector<std::string> extensions = discovery::k_upload_extensions;
  std::vector<std::string> ignores;
  std::vector<std::string> ignore_file_lines; // see discovery::WalkOptions
  std::string url_prefix = "~";
  // Give each JS file the `sourcemap` header naming its map
  // (--no-sourcemap-reference turns it off; the maps are still linked for
  // --delete-after).
  bool sourcemap_headers = true;
  // Give a JS file without a debug id the one of its map
  // (--debug-id-reference).
  bool debug_id_reference = false;
};

// A JS file and the map on disk its reference resolved to (for deletion and
// for stripping the comment afterwards).
struct MapLink {
  std::filesystem::path js;
  std::filesystem::path map;
  bool explicit_reference = false; // a sourceMappingURL comment, not a guess
};

// A map file in the plan and the root folder it was found under.
struct PlannedMap {
  std::filesystem::path path;
  std::filesystem::path root;
};

// What an upload of `roots` will send, decided before anything is sent.
struct UploadPlan {
  std::vector<bundle::BundleInput> files;
  std::vector<PlannedMap> maps;
  std::vector<MapLink> links;
  std::vector<std::string> warnings;
  size_t source_count = 0;
  // JS files that reference a map, and how many of those carry a debug id.
  size_t referencing_sources = 0;
  size_t referencing_sources_with_debug_id = 0;
};

// Pairs the files under the roots (discovery::pair_files, as doctor and
// resolve see them) and decides what goes into the bundle: the artifact
// URLs (`prefix + "/" + relative path`, one trailing `/` of the prefix
// dropped), the debug-id and sourcemap headers and the links that
// --delete-after follows.
UploadPlan plan_upload(const PlanOptions &options);

// Builds an artifact URL the way sentry-cli does.
std::string artifact_url(std::string_view prefix, std::string_view relative);

} // namespace uploader::upload
