#include "uploader/bundle/map_rewrite.hpp"

#include "uploader/sourcemap/json.hpp"
#include "uploader/sourcemap/upload_rewrite.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/strings.hpp"
#include "uploader/util/utf8.hpp"

namespace uploader::bundle {

namespace fs = std::filesystem;

namespace {

// Larger "sources" are not source code a person reads in a stack trace.
constexpr std::uintmax_t k_max_source_bytes = 64ull << 20;

fs::path canonical_folder(const fs::path &folder) {
  std::error_code ec;
  fs::path real =
      fs::canonical(folder.empty() ? fs::current_path() : folder, ec);
  return ec ? fs::absolute(folder).lexically_normal() : real;
}

} // namespace

std::string describe(const MapRewriteSettings &settings) {
  if (!settings.enabled) {
    return "rewrite off";
  }
  std::string text = "rewrite";
  text += settings.rewrite_paths
              ? " root " + canonical_folder(settings.source_root).string()
              : " paths kept";
  text += settings.inline_sources ? " inline" : " no-inline";
  for (const auto &prefix : settings.strip_prefixes) {
    text += " strip " + prefix;
  }
  return text;
}

MapRewriter::MapRewriter(const MapRewriteSettings &settings)
    : m_settings(settings), m_root(canonical_folder(settings.source_root)),
      m_cwd(canonical_folder({})) {}

std::optional<std::string> MapRewriter::rewrite(const fs::path &path,
                                                std::string_view text,
                                                const fs::path &built_in) {
  if (!m_settings.enabled) {
    return std::nullopt;
  }
  sourcemap::UploadRewriteOptions options;
  options.paths.map_folder = canonical_folder(
      built_in.empty() ? fs::absolute(path).parent_path() : built_in);
  options.paths.source_root = m_root;
  options.rewrite_paths = m_settings.rewrite_paths;
  options.strip_prefixes = m_settings.strip_prefixes;
  if (m_settings.inline_sources) {
    options.read_source = [this](const fs::path &file) {
      return read_source(file);
    };
  }
  try {
    return sourcemap::rewrite_map_for_upload(text, options);
  } catch (const Error &error) {
    throw Error("cannot prepare the source map " + path.string() +
                " for upload: " + error.what() +
                "; fix the map, or pass --no-rewrite to upload it unchanged");
  }
}

SourcesRead MapRewriter::sources_read() const {
  std::lock_guard lock(m_mutex);
  return m_sources_read;
}

std::optional<std::string> MapRewriter::read_source(const fs::path &file) {
  {
    // Before reading: a change while it is read shows as a change later.
    std::string identity = util::file_identity(file);
    std::lock_guard lock(m_mutex);
    m_sources_read.emplace(fs::absolute(file).lexically_normal().string(),
                           std::move(identity));
  }
  std::error_code ec;
  fs::path real = fs::canonical(file, ec);
  if (ec) {
    warn_once(file, "there is no such file");
    return std::nullopt;
  }
  if (!util::is_inside(real, m_root) && !util::is_inside(real, m_cwd)) {
    warn_once(file, "its real path " + real.string() +
                        " lies outside the source root " + m_root.string() +
                        " and the working directory");
    return std::nullopt;
  }
  if (!fs::is_regular_file(real, ec)) {
    warn_once(file, "it is not a regular file");
    return std::nullopt;
  }
  if (fs::file_size(real, ec) > k_max_source_bytes) {
    warn_once(file, "it is larger than 64 MiB");
    return std::nullopt;
  }
  std::string text;
  try {
    text = util::read_file(real);
  } catch (const Error &error) {
    warn_once(file, error.what());
    return std::nullopt;
  }
  if (!util::is_valid_utf8(text)) {
    warn_once(file, "it is not UTF-8 text");
    return std::nullopt;
  }
  return text;
}

void MapRewriter::warn_once(const fs::path &file, const std::string &why) {
  {
    std::lock_guard lock(m_mutex);
    if (!m_warned.insert(file).second) {
      return;
    }
  }
  util::log_warn("source text of " + file.string() + " not added to its map (" +
                 why + "); Sentry will show no code around its frames");
}

} // namespace uploader::bundle
