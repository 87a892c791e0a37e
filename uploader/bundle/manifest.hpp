#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::bundle {

enum class SourceFileType {
  minified_source,
  source_map,
  source,
  indexed_ram_bundle
};

// The manifest's snake_case name ("minified_source").
std::string_view manifest_name(SourceFileType type);
// sentry-cli's Rust Debug name ("MinifiedSource"), hashed into bundle ids.
std::string_view debug_name(SourceFileType type);

// One file of an artifact bundle as the manifest describes it. Header keys
// are lowercase (`debug-id`, `sourcemap`), as the server reads them.
struct ManifestFile {
  std::string bundle_path; // zip entry name, "files/_/_/main.js"
  std::string url;         // "~/main.js"
  SourceFileType type = SourceFileType::minified_source;
  std::map<std::string, std::string> headers;
};

// Top-level string attributes; empty optionals are left out.
struct ManifestAttributes {
  std::string debug_id; // the bundle id, always set
  std::optional<std::string> org;
  std::optional<std::string> project; // only when exactly one project
  std::optional<std::string> release;
  std::optional<std::string> dist;
  std::optional<std::string> note;
};

// Serialises manifest.json as sentry-cli does: compact, keys sorted.
std::string manifest_json(const std::vector<ManifestFile> &files,
                          const ManifestAttributes &attributes);

// The zip path for an artifact URL: `~/a/b.js` → `_/_/a/b.js`,
// `https://host/a.js` → `https/host/a.js`, `app:///a.js` → `app/_/a.js`.
std::string bundle_path_for_url(std::string_view url);

} // namespace uploader::bundle
