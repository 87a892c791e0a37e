#include "uploader/upload/plan.hpp"

#include "uploader/discovery/pairing.hpp"

namespace uploader::upload {

namespace fs = std::filesystem;

std::string artifact_url(std::string_view prefix, std::string_view relative) {
  std::string url(prefix);
  if (url.ends_with('/')) {
    url.pop_back();
  }
  return url + "/" + std::string(relative);
}

UploadPlan plan_upload(const PlanOptions &options) {
  discovery::WalkOptions walk_options;
  walk_options.roots = options.roots;
  walk_options.extensions = options.extensions;
  walk_options.ignores = options.ignores;
  walk_options.ignore_file_lines = options.ignore_file_lines;
  discovery::Pairing pairing = discovery::pair_files(walk_options);
  UploadPlan plan;
  plan.warnings = std::move(pairing.warnings);
  for (const auto &entry : pairing.files) {
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
    if (entry.map_reference) {
      if (options.sourcemap_headers) {
        input.headers["sourcemap"] = *entry.map_reference;
      }
      ++plan.referencing_sources;
      const discovery::PairedFile *map =
          entry.map ? &pairing.files[*entry.map] : nullptr;
      if (options.debug_id_reference && !entry.debug_id && map != nullptr &&
          map->debug_id) {
        // --debug-id-reference: the JS file takes its map's debug id.
        input.headers["debug-id"] = *map->debug_id;
      }
      if (input.headers.contains("debug-id")) {
        ++plan.referencing_sources_with_debug_id;
      }
      if (map != nullptr) {
        plan.links.push_back(
            {entry.file.path, map->file.path, entry.explicit_reference});
      }
    }
    plan.files.push_back(std::move(input));
  }
  return plan;
}

} // namespace uploader::upload
