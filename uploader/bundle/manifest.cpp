#include "uploader/bundle/manifest.hpp"

#include <nlohmann/json.hpp>

namespace uploader::bundle {

std::string_view manifest_name(SourceFileType type) {
  switch (type) {
  case SourceFileType::minified_source:
    return "minified_source";
  case SourceFileType::source_map:
    return "source_map";
  case SourceFileType::source:
    return "source";
  case SourceFileType::indexed_ram_bundle:
    return "indexed_ram_bundle";
  }
  return "";
}

std::string_view debug_name(SourceFileType type) {
  switch (type) {
  case SourceFileType::minified_source:
    return "MinifiedSource";
  case SourceFileType::source_map:
    return "SourceMap";
  case SourceFileType::source:
    return "Source";
  case SourceFileType::indexed_ram_bundle:
    return "IndexedRamBundle";
  }
  return "";
}

std::string manifest_json(const std::vector<ManifestFile> &files,
                          const ManifestAttributes &attributes) {
  // nlohmann::json objects are std::maps: keys come out sorted, like the
  // BTreeMaps sentry-cli serialises.
  nlohmann::json manifest;
  manifest["files"] = nlohmann::json::object();
  for (const auto &file : files) {
    nlohmann::json entry;
    entry["type"] = manifest_name(file.type);
    entry["url"] = file.url;
    if (!file.headers.empty()) {
      entry["headers"] = file.headers;
    }
    manifest["files"][file.bundle_path] = std::move(entry);
  }
  manifest["debug_id"] = attributes.debug_id;
  auto put = [&](const char *key, const std::optional<std::string> &value) {
    if (value && !value->empty()) {
      manifest[key] = *value;
    }
  };
  put("org", attributes.org);
  put("project", attributes.project);
  put("release", attributes.release);
  put("dist", attributes.dist);
  put("note", attributes.note);
  return manifest.dump();
}

std::string bundle_path_for_url(std::string_view url) {
  if (url.starts_with("~/")) {
    return "_/_/" + std::string(url.substr(2));
  }
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return "_/_/" + std::string(url.starts_with('/') ? url.substr(1) : url);
  }
  std::string scheme(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  std::string_view host = rest.substr(0, slash);
  std::string_view path =
      slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  return scheme + "/" + (host.empty() ? "_" : std::string(host)) + "/" +
         std::string(path);
}

} // namespace uploader::bundle
