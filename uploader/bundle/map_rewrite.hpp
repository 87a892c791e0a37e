#pragma once

#include <filesystem>
#include <map>
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

// The source files an upload read into its maps, or looked for: absolute
// path -> util::file_identity before reading ("absent" for one not found).
// A later upload of the same maps is the same only while these are too.
using SourcesRead = std::map<std::string, std::string>;

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
  // nullopt when that is `text` itself. Its relative sources are resolved
  // from `built_in` (the folder the bundler wrote it to), or from its own
  // folder when that is empty. Throws Error naming `path` (and the byte
  // offset) when the map is malformed or cannot be flattened.
  std::optional<std::string>
  rewrite(const std::filesystem::path &path, std::string_view text,
          const std::filesystem::path &built_in = {});

  // Every source file read (or looked for) so far.
  SourcesRead sources_read() const;

private:
  std::optional<std::string> read_source(const std::filesystem::path &file);
  void warn_once(const std::filesystem::path &file, const std::string &why);

  MapRewriteSettings m_settings;
  std::filesystem::path m_root; // canonical
  std::filesystem::path m_cwd;  // canonical
  mutable std::mutex m_mutex;
  std::set<std::filesystem::path> m_warned;
  SourcesRead m_sources_read;
};

} // namespace uploader::bundle
