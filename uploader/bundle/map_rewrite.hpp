#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::bundle {

// How the uploaded copy of each source map differs from the file on disk
// (the file itself is never changed).
struct MapRewriteSettings {
  // --no-rewrite: every map goes up byte for byte.
  bool enabled = true;
  // Name sources relative to `source_root` (--keep-source-paths: false).
  bool rewrite_paths = true;
  // Fill missing sourcesContent from the files (--no-inline-sources: false).
  bool inline_sources = true;
  // --source-root; empty: the working directory.
  std::filesystem::path source_root;
  // --strip-prefix values, `~` for --strip-common-prefix.
  std::vector<std::string> strip_prefixes;
};

// The settings as one line of text, for the keys of cached bundles and
// upload stamps (another source root is another upload).
std::string describe(const MapRewriteSettings &settings);

// Applies one MapRewriteSettings to every map of an upload. Source texts
// are read only from inside the source root or the working directory (their
// real paths, so no symbolic link leads out), and each one that cannot be
// read is reported once. Safe to use from several threads.
class MapRewriter {
public:
  explicit MapRewriter(const MapRewriteSettings &settings);

  // The bytes to upload for the map file `path` whose contents are `text`;
  // nullopt when that is `text` itself. Throws Error naming `path` (and the
  // byte offset) when the map is malformed or cannot be flattened.
  std::optional<std::string> rewrite(const std::filesystem::path &path,
                                     std::string_view text);

private:
  std::optional<std::string> read_source(const std::filesystem::path &file);
  void warn_once(const std::filesystem::path &file, const std::string &why);

  MapRewriteSettings m_settings;
  std::filesystem::path m_root; // canonical
  std::filesystem::path m_cwd;  // canonical
  std::mutex m_mutex;
  std::set<std::filesystem::path> m_warned;
};

} // namespace uploader::bundle
