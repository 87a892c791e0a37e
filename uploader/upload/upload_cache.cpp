#include "uploader/upload/upload_cache.hpp"

#include "uploader/util/fs.hpp"
#include "uploader/util/log.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

namespace uploader::upload {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t k_bundles_kept = 4;

json headers_json(const std::map<std::string, std::string> &headers) {
  return headers;
}

json to_json(const bundle::BundleInput &input) {
  return {{"path", input.path.string()},
          {"url", input.url},
          {"type", bundle::manifest_name(input.type)},
          {"headers", headers_json(input.headers)}};
}

bundle::SourceFileType type_from(const std::string &name) {
  for (auto type :
       {bundle::SourceFileType::minified_source,
        bundle::SourceFileType::source_map, bundle::SourceFileType::source,
        bundle::SourceFileType::indexed_ram_bundle}) {
    if (bundle::manifest_name(type) == name) {
      return type;
    }
  }
  throw std::runtime_error("unknown file type " + name);
}

bundle::BundleInput input_from(const json &j) {
  return {j.at("path").get<std::string>(), j.at("url").get<std::string>(),
          type_from(j.at("type").get<std::string>()),
          j.at("headers").get<std::map<std::string, std::string>>()};
}

std::optional<json> read_json(const fs::path &path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  auto parsed = json::parse(util::read_file(path), nullptr, false);
  if (parsed.is_discarded()) {
    return std::nullopt;
  }
  return parsed;
}

} // namespace

UploadCache::UploadCache(fs::path folder) : m_folder(std::move(folder)) {}

fs::path UploadCache::default_folder() {
  if (const char *dir = std::getenv("SENTRY_SOURCEMAPS_CACHE"); dir && *dir) {
    return fs::path(dir) / "bundles";
  }
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return fs::path(xdg) / "sentry-sourcemaps" / "bundles";
  }
  if (const char *home = std::getenv("HOME"); home && *home) {
    return fs::path(home) / ".cache" / "sentry-sourcemaps" / "bundles";
  }
  return {};
}

std::optional<UploadPlan> UploadCache::load_plan(const std::string &key) const {
  if (!enabled()) {
    return std::nullopt;
  }
  try {
    auto j = read_json(m_folder / (key + ".plan.json"));
    if (!j) {
      return std::nullopt;
    }
    UploadPlan plan;
    for (const auto &file : j->at("files")) {
      plan.files.push_back(input_from(file));
    }
    for (const auto &map : j->at("maps")) {
      plan.maps.push_back(
          {map.at(0).get<std::string>(), map.at(1).get<std::string>()});
    }
    for (const auto &link : j->at("links")) {
      plan.links.push_back({link.at(0).get<std::string>(),
                            link.at(1).get<std::string>(),
                            link.at(2).get<bool>()});
    }
    plan.warnings = j->at("warnings").get<std::vector<std::string>>();
    plan.source_count = j->at("sources").get<size_t>();
    plan.referencing_sources = j->at("referencing").get<size_t>();
    plan.referencing_sources_with_debug_id =
        j->at("referencing_with_debug_id").get<size_t>();
    return plan;
  } catch (const std::exception &) {
    return std::nullopt; // an unreadable entry is a miss, never an error
  }
}

void UploadCache::save_plan(const std::string &key,
                            const UploadPlan &plan) const {
  if (!enabled()) {
    return;
  }
  json j;
  j["files"] = json::array();
  for (const auto &file : plan.files) {
    j["files"].push_back(to_json(file));
  }
  j["maps"] = json::array();
  for (const auto &map : plan.maps) {
    j["maps"].push_back({map.path.string(), map.root.string()});
  }
  j["links"] = json::array();
  for (const auto &link : plan.links) {
    j["links"].push_back(
        {link.js.string(), link.map.string(), link.explicit_reference});
  }
  j["warnings"] = plan.warnings;
  j["sources"] = plan.source_count;
  j["referencing"] = plan.referencing_sources;
  j["referencing_with_debug_id"] = plan.referencing_sources_with_debug_id;
  try {
    fs::create_directories(m_folder);
    util::write_file_atomic(m_folder / (key + ".plan.json"), j.dump());
  } catch (const std::exception &error) {
    util::log_debug(std::string("not caching the plan: ") + error.what());
  }
}

std::optional<bundle::BuiltBundle>
UploadCache::load_bundle(const std::string &key) const {
  if (!enabled()) {
    return std::nullopt;
  }
  try {
    auto j = read_json(m_folder / (key + ".bundle.json"));
    fs::path path = bundle_path(key);
    std::error_code ec;
    if (!j || fs::file_size(path, ec) != j->at("size").get<std::uint64_t>()) {
      return std::nullopt;
    }
    bundle::BuiltBundle built;
    built.path = path;
    built.size = j->at("size").get<std::uint64_t>();
    built.checksum = j->at("checksum").get<std::string>();
    built.debug_id = j->at("debug_id").get<std::string>();
    for (const auto &chunk : j->at("chunks")) {
      built.chunks.push_back({chunk.at(0).get<std::string>(),
                              chunk.at(1).get<std::uint64_t>(),
                              chunk.at(2).get<std::uint64_t>()});
    }
    for (const auto &file : j->at("files")) {
      built.files.push_back(
          {file.at("bundle_path").get<std::string>(),
           file.at("url").get<std::string>(),
           type_from(file.at("type").get<std::string>()),
           file.at("headers").get<std::map<std::string, std::string>>()});
    }
    // Touch it, so eviction keeps what is used.
    fs::last_write_time(path, fs::file_time_type::clock::now(), ec);
    return built;
  } catch (const std::exception &) {
    return std::nullopt;
  }
}

fs::path UploadCache::bundle_path(const std::string &key) const {
  return m_folder / (key + ".bundle");
}

void UploadCache::save_bundle(const std::string &key,
                              const bundle::BuiltBundle &built) const {
  if (!enabled()) {
    return;
  }
  json j;
  j["size"] = built.size;
  j["checksum"] = built.checksum;
  j["debug_id"] = built.debug_id;
  j["chunks"] = json::array();
  for (const auto &chunk : built.chunks) {
    j["chunks"].push_back({chunk.sha1, chunk.offset, chunk.size});
  }
  j["files"] = json::array();
  for (const auto &file : built.files) {
    j["files"].push_back({{"bundle_path", file.bundle_path},
                          {"url", file.url},
                          {"type", bundle::manifest_name(file.type)},
                          {"headers", headers_json(file.headers)}});
  }
  try {
    util::write_file_atomic(m_folder / (key + ".bundle.json"), j.dump());
    evict_old_bundles();
  } catch (const std::exception &error) {
    util::log_debug(std::string("not caching the bundle: ") + error.what());
  }
}

void UploadCache::evict_old_bundles() const {
  std::vector<std::pair<fs::file_time_type, fs::path>> bundles;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(m_folder, ec)) {
    if (entry.path().extension() == ".bundle") {
      bundles.emplace_back(entry.last_write_time(ec), entry.path());
    }
  }
  if (bundles.size() <= k_bundles_kept) {
    return;
  }
  std::ranges::sort(bundles, std::greater<>{});
  for (size_t i = k_bundles_kept; i < bundles.size(); ++i) {
    fs::path stem = bundles[i].second;
    fs::remove(stem, ec);
    fs::remove(stem.string() + ".json", ec);
  }
  // Plans are small; drop those older than the oldest kept bundle.
  auto oldest = bundles[k_bundles_kept - 1].first;
  for (const auto &entry : fs::directory_iterator(m_folder, ec)) {
    if (entry.path().string().ends_with(".plan.json") &&
        entry.last_write_time(ec) < oldest) {
      fs::remove(entry.path(), ec);
    }
  }
}

} // namespace uploader::upload
