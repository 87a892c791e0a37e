#include "uploader/upload/upload_cache.hpp"

#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/platform.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>

namespace uploader::upload {

namespace fs = std::filesystem;
using nlohmann::json;
using util::NativeFile;

namespace {

constexpr std::string_view k_lock_name = ".lock";
constexpr std::string_view k_bundle_suffix = ".bundle";
constexpr std::string_view k_record_suffix = ".bundle.json";
constexpr std::string_view k_plan_suffix = ".plan.json";
// Drafts are ".<key>.<pid>-<random>.part"; the leading dot keeps them out
// of the entries.
constexpr std::string_view k_draft_suffix = ".part";
// What util::StagedFile puts in its temporary files' names.
constexpr std::string_view k_temp_marker = ".tmp-";

json headers_json(const std::map<std::string, std::string> &headers) {
  return headers;
}

json to_json(const bundle::BundleInput &input) {
  return {{"path", util::path_to_utf8(input.path)},
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
  return {util::path_from_utf8(j.at("path").get<std::string>()),
          j.at("url").get<std::string>(),
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

json record_json(const bundle::BuiltBundle &built) {
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
  j["sources_read"] = built.sources_read;
  return j;
}

// Throws on anything missing or of the wrong type (the caller's miss).
bundle::BuiltBundle bundle_from(const json &j) {
  bundle::BuiltBundle built;
  built.size = j.at("size").get<std::uint64_t>();
  built.checksum = j.at("checksum").get<std::string>();
  built.debug_id = j.at("debug_id").get<std::string>();
  for (const auto &chunk : j.at("chunks")) {
    built.chunks.push_back({chunk.at(0).get<std::string>(),
                            chunk.at(1).get<std::uint64_t>(),
                            chunk.at(2).get<std::uint64_t>()});
  }
  for (const auto &file : j.at("files")) {
    built.files.push_back(
        {file.at("bundle_path").get<std::string>(),
         file.at("url").get<std::string>(),
         type_from(file.at("type").get<std::string>()),
         file.at("headers").get<std::map<std::string, std::string>>()});
  }
  if (j.contains("sources_read")) {
    built.sources_read = j.at("sources_read").get<bundle::SourcesRead>();
  }
  return built;
}

// The source texts a cached bundle's maps carry are stale once a file they
// came from changed (or one that was missing appeared).
bool sources_unchanged(const bundle::SourcesRead &sources_read) {
  return std::ranges::all_of(sources_read, [](const auto &entry) {
    return util::file_identity(util::path_from_utf8(entry.first)) ==
           entry.second;
  });
}

std::string draft_name(const std::string &key) {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  return "." + key + "." + std::to_string(util::current_process_id()) + "-" +
         std::to_string(engine() % 1000000000) + std::string(k_draft_suffix);
}

// Holds `.lock` in the folder exclusively. Everything that adds, replaces
// or removes an entry, and taking one, runs under it in every process, so
// "is anyone holding this file?" cannot change between the question and
// the removal. flock-style locks (not fcntl), because they belong to the open
// file, not the process: two UploadCache objects in one process exclude
// each other too, and a crashed process's locks go away with it.
class FolderLock {
public:
  explicit FolderLock(const fs::path &folder) {
    fs::path path = folder / k_lock_name;
    std::error_code error;
    m_file = NativeFile::open(path, NativeFile::Mode::read_write_create, error);
    if (error) {
      throw Error("cannot open " + path.string() + ": " + error.message());
    }
    m_file.lock(NativeFile::Lock::exclusive, error);
    if (error) {
      throw Error("cannot lock " + path.string() + ": " + error.message());
    }
  }
  // Closing m_file releases the lock.
  FolderLock(const FolderLock &) = delete;
  FolderLock &operator=(const FolderLock &) = delete;

private:
  NativeFile m_file;
};

// Removes `path` unless a lease holds it (has a shared lock on it); returns
// whether it is gone. Only under the FolderLock, which leases are taken
// under too.
bool remove_unless_held(const fs::path &path) {
  std::error_code error;
  NativeFile file = NativeFile::open(path, NativeFile::Mode::read, error);
  if (error) {
    return error == std::errc::no_such_file_or_directory;
  }
  bool free = file.try_lock(NativeFile::Lock::exclusive);
  if (free) {
    fs::remove(path, error);
  }
  return free;
}

struct Entry {
  std::int64_t time = 0; // last use (mtime), ns
  std::uint64_t size = 0;
  fs::path path;
  std::string key;
};

// None if it is gone meanwhile (removed by hand, say).
std::optional<Entry> stat_entry(const fs::path &path) {
  std::error_code error;
  std::optional<util::FileFacts> facts = util::file_facts(path, true, error);
  if (!facts) {
    return std::nullopt;
  }
  return Entry{facts->modified_ns, facts->size, path, ""};
}

void newest_first(std::vector<Entry> &entries) {
  std::ranges::sort(entries, [](const Entry &a, const Entry &b) {
    return a.time != b.time ? a.time > b.time : a.path < b.path;
  });
}

std::string without(const std::string &name, std::string_view suffix) {
  return name.substr(0, name.size() - suffix.size());
}

// Brings the folder within `limits`, skipping bundles a lease holds (they
// are evicted when released). Only under the FolderLock.
void evict(const fs::path &folder, const CacheLimits &limits) {
  std::vector<Entry> bundles;
  std::vector<Entry> plans;
  std::set<std::string> records;
  std::vector<fs::path> drafts;
  std::vector<fs::path> temporaries;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(folder, ec)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with('.')) {
      if (name.ends_with(k_draft_suffix)) {
        drafts.push_back(entry.path());
      } else if (name.find(k_temp_marker) != std::string::npos) {
        temporaries.push_back(entry.path());
      }
    } else if (name.ends_with(k_bundle_suffix)) {
      if (auto bundle = stat_entry(entry.path())) {
        bundle->key = without(name, k_bundle_suffix);
        bundles.push_back(std::move(*bundle));
      }
    } else if (name.ends_with(k_record_suffix)) {
      records.insert(without(name, k_record_suffix));
    } else if (name.ends_with(k_plan_suffix)) {
      if (auto plan = stat_entry(entry.path())) {
        plans.push_back(std::move(*plan));
      }
    }
  }

  // A draft whose upload died: a live one holds its lock.
  for (const auto &draft : drafts) {
    remove_unless_held(draft);
  }
  // Every write_file_atomic() into the folder runs under the FolderLock, so
  // a temporary file seen now was left by a process that died mid-write.
  for (const auto &temporary : temporaries) {
    fs::remove(temporary, ec);
  }

  newest_first(bundles);
  size_t kept = 0;
  std::uint64_t kept_bytes = 0;
  std::set<std::string> present;
  for (const auto &bundle : bundles) {
    // The newest bundle stays even if it alone is over the byte limit:
    // it is the one the next run of the same upload reuses.
    bool fits = kept < limits.bundles &&
                (kept == 0 || kept_bytes + bundle.size <= limits.bundle_bytes);
    if (records.contains(bundle.key) && fits) {
      ++kept;
      kept_bytes += bundle.size;
      present.insert(bundle.key);
    } else if (remove_unless_held(bundle.path)) {
      fs::remove(folder / (bundle.key + std::string(k_record_suffix)), ec);
    } else {
      present.insert(bundle.key); // held: its record stays with it
    }
  }
  for (const auto &key : records) {
    if (!present.contains(key)) {
      fs::remove(folder / (key + std::string(k_record_suffix)), ec);
    }
  }

  newest_first(plans);
  for (size_t i = limits.plans; i < plans.size(); ++i) {
    fs::remove(plans[i].path, ec);
  }
}

} // namespace

BundleLease::BundleLease(BundleLease &&other) noexcept
    : m_file(std::move(other.m_file)), m_path(std::move(other.m_path)),
      m_private(other.m_private), m_folder(std::move(other.m_folder)),
      m_limits(other.m_limits) {
  other.m_path.clear();
  other.m_private = false;
  other.m_folder.clear();
}

BundleLease &BundleLease::operator=(BundleLease &&other) noexcept {
  if (this != &other) {
    release();
    m_file = std::move(other.m_file);
    m_path = std::move(other.m_path);
    m_private = other.m_private;
    m_folder = std::move(other.m_folder);
    m_limits = other.m_limits;
    other.m_path.clear();
    other.m_private = false;
    other.m_folder.clear();
  }
  return *this;
}

void BundleLease::release() noexcept {
  if (m_private && !m_path.empty()) {
    std::error_code ignored;
    fs::remove(m_path, ignored);
  }
  util::close_native(m_file.release());
  // A kept bundle may have been left over the bound because this lease
  // held it: evict now that it is free.
  if (!m_folder.empty()) {
    try {
      FolderLock lock(m_folder);
      evict(m_folder, m_limits);
    } catch (const std::exception &error) {
      util::log_debug(std::string("not evicting cached bundles: ") +
                      error.what());
    }
  }
  m_path.clear();
  m_private = false;
  m_folder.clear();
}

UploadCache::UploadCache(fs::path folder, CacheLimits limits)
    : m_folder(std::move(folder)), m_limits(limits) {}

fs::path UploadCache::default_folder(const util::EnvGetter &getenv) {
  if (auto dir = util::nonempty_variable(getenv, "SENTRY_SOURCEMAPS_CACHE")) {
    return util::path_from_utf8(*dir) / "bundles";
  }
  if (auto xdg = util::nonempty_variable(getenv, "XDG_CACHE_HOME")) {
    return util::path_from_utf8(*xdg) / "sentry-sourcemaps" / "bundles";
  }
  if (auto home = util::nonempty_variable(getenv, "HOME")) {
    return util::path_from_utf8(*home) / ".cache" / "sentry-sourcemaps" /
           "bundles";
  }
  return {};
}

std::optional<UploadPlan> UploadCache::load_plan(const std::string &key) const {
  if (!enabled()) {
    return std::nullopt;
  }
  try {
    fs::path path = m_folder / (key + std::string(k_plan_suffix));
    // No lock: a plan is replaced only by rename and removed only by
    // unlink, and an open file keeps its bytes either way.
    auto j = read_json(path);
    if (!j) {
      return std::nullopt;
    }
    UploadPlan plan;
    for (const auto &file : j->at("files")) {
      plan.files.push_back(input_from(file));
    }
    for (const auto &map : j->at("maps")) {
      plan.maps.push_back({util::path_from_utf8(map.at(0).get<std::string>()),
                           util::path_from_utf8(map.at(1).get<std::string>())});
    }
    for (const auto &link : j->at("links")) {
      plan.links.push_back({util::path_from_utf8(link.at(0).get<std::string>()),
                            util::path_from_utf8(link.at(1).get<std::string>()),
                            link.at(2).get<bool>()});
    }
    plan.warnings = j->at("warnings").get<std::vector<std::string>>();
    plan.source_count = j->at("sources").get<size_t>();
    plan.referencing_sources = j->at("referencing").get<size_t>();
    plan.referencing_sources_with_debug_id =
        j->at("referencing_with_debug_id").get<size_t>();
    // Touch it, so eviction keeps the plans in use.
    std::error_code ec;
    fs::last_write_time(path, fs::file_time_type::clock::now(), ec);
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
    j["maps"].push_back(
        {util::path_to_utf8(map.path), util::path_to_utf8(map.root)});
  }
  j["links"] = json::array();
  for (const auto &link : plan.links) {
    j["links"].push_back({util::path_to_utf8(link.js),
                          util::path_to_utf8(link.map),
                          link.explicit_reference});
  }
  j["warnings"] = plan.warnings;
  j["sources"] = plan.source_count;
  j["referencing"] = plan.referencing_sources;
  j["referencing_with_debug_id"] = plan.referencing_sources_with_debug_id;
  try {
    fs::create_directories(m_folder);
    FolderLock lock(m_folder);
    util::write_file_atomic(m_folder / (key + std::string(k_plan_suffix)),
                            j.dump());
    evict(m_folder, m_limits);
  } catch (const std::exception &error) {
    util::log_debug(std::string("not caching the plan: ") + error.what());
  }
}

std::optional<CachedBundle>
UploadCache::take_bundle(const std::string &key) const {
  if (!enabled()) {
    return std::nullopt;
  }
  try {
    std::error_code ec;
    if (!fs::is_directory(m_folder, ec)) {
      return std::nullopt;
    }
    // Under the lock the record and the bundle belong together: both are
    // replaced and removed only under it.
    FolderLock lock(m_folder);
    auto j = read_json(m_folder / (key + std::string(k_record_suffix)));
    if (!j) {
      return std::nullopt;
    }
    CachedBundle cached{bundle_from(*j), {}};
    if (!sources_unchanged(cached.bundle.sources_read)) {
      util::log_debug("not reusing the cached bundle: a source file its maps "
                      "carry changed");
      return std::nullopt;
    }
    fs::path path = m_folder / (key + std::string(k_bundle_suffix));
    BundleLease &lease = cached.lease;
    std::error_code error;
    // Read and write: touch() below needs to write its time.
    lease.m_file = NativeFile::open(path, NativeFile::Mode::read_write, error);
    if (error || lease.m_file.size() != cached.bundle.size ||
        !lease.m_file.try_lock(NativeFile::Lock::shared)) {
      return std::nullopt; // the lease has no folder yet: no eviction here
    }
    // Touch it, so eviction keeps what is used.
    lease.m_file.touch();
    lease.m_path = path;
    cached.bundle.path = path;
    lease.m_folder = m_folder;
    lease.m_limits = m_limits;
    return cached;
  } catch (const std::exception &) {
    return std::nullopt; // an unreadable entry is a miss, never an error
  }
}

std::optional<BundleLease>
UploadCache::draft_bundle(const std::string &key) const {
  if (!enabled()) {
    return std::nullopt;
  }
  try {
    fs::create_directories(m_folder);
    // Created and locked under the folder lock, so no eviction can take
    // the new file for a dead upload's draft in between.
    FolderLock lock(m_folder);
    BundleLease lease;
    std::error_code error;
    for (int attempt = 0; attempt < 16 && !lease.held(); ++attempt) {
      lease.m_path = m_folder / draft_name(key);
      lease.m_file = NativeFile::open(lease.m_path,
                                      NativeFile::Mode::create_new_rw, error);
      if (error && error != std::errc::file_exists) {
        throw Error("cannot create " + lease.m_path.string() + ": " +
                    error.message());
      }
    }
    if (!lease.held()) {
      throw Error("cannot create a draft bundle in " + m_folder.string());
    }
    lease.m_private = true;
    if (!lease.m_file.try_lock(NativeFile::Lock::shared)) {
      throw Error("cannot lock " + lease.m_path.string());
    }
    return lease;
  } catch (const std::exception &error) {
    util::log_debug(std::string("not caching the bundle: ") + error.what());
    return std::nullopt;
  }
}

CachedBundle UploadCache::save_bundle(const std::string &key, BundleLease draft,
                                      bundle::BuiltBundle built) const {
  CachedBundle saved{std::move(built), std::move(draft)};
  BundleLease &lease = saved.lease;
  if (!enabled() || !lease.held() || !lease.m_private) {
    return saved;
  }
  try {
    // The bundle was written through stdio and never synced: sync it
    // before it becomes an entry, so that a crash cannot leave a record
    // whose bundle has the right size but not the bytes it describes.
    std::error_code error;
    lease.m_file.sync(error);
    if (error) {
      throw Error("cannot sync " + lease.m_path.string() + ": " +
                  error.message());
    }
    std::string record = record_json(saved.bundle).dump();
    fs::path target = m_folder / (key + std::string(k_bundle_suffix));
    fs::path record_path = m_folder / (key + std::string(k_record_suffix));
    FolderLock lock(m_folder);
    std::error_code no_old;
    NativeFile old = NativeFile::open(target, NativeFile::Mode::read, no_old);
    if (old.is_open() && !old.try_lock(NativeFile::Lock::exclusive)) {
      // Another upload is sending the entry for the same files: it must
      // keep reading the file it took, so this one sends its own draft.
      util::log_debug("not caching the bundle: the cached one for the same "
                      "files is in use");
      return saved;
    }
    // The old record goes first: a crash after the rename must not pair
    // it with the new bundle.
    std::error_code ec;
    fs::remove(record_path, ec);
    if constexpr (!util::k_can_replace_open_files) {
      // Windows refuses to rename over an open file; the folder lock keeps
      // any upload from taking the old one before it is replaced.
      old.close(no_old);
    }
    std::error_code renamed = util::replace_file(lease.m_path, target);
    old.close(no_old);
    if (renamed) {
      throw Error("cannot rename " + lease.m_path.string() + ": " +
                  renamed.message());
    }
    // From here the file is the entry, still held by this lease.
    lease.m_path = target;
    lease.m_private = false;
    lease.m_folder = m_folder;
    lease.m_limits = m_limits;
    saved.bundle.path = target;
    util::write_file_atomic(record_path, record);
    evict(m_folder, m_limits);
  } catch (const std::exception &error) {
    util::log_debug(std::string("not caching the bundle: ") + error.what());
  }
  return saved;
}

} // namespace uploader::upload
