#include "uploader/upload/pending.hpp"

#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/platform.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <set>

namespace uploader::upload {

namespace fs = std::filesystem;

namespace {

// The path below the URL prefix: "~/assets/a.js" with prefix "~" →
// "assets/a.js".
fs::path url_path(const std::string &url, const std::string &prefix) {
  std::string base = prefix.ends_with('/') ? prefix : prefix + "/";
  return util::path_from_utf8(url.substr(std::min(url.size(), base.size())));
}

void move_file(const fs::path &from, const fs::path &to) {
  fs::create_directories(to.parent_path());
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    // Another file system: copy durably, then remove the original.
    util::write_file_atomic(to, util::read_file(from));
    fs::remove(from);
  }
}

} // namespace

std::vector<fs::path> park_maps(const UploadPlan &plan,
                                const PlanOptions &options,
                                const std::optional<std::string> &release,
                                const std::optional<std::string> &dist,
                                const fs::path &pending_dir) {
  if (plan.maps.empty()) {
    return {}; // nothing to park: no folder a later run would fail to read
  }
  auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
  fs::path folder = pending_dir / ("upload-" + std::to_string(stamp));
  fs::create_directories(folder);
  std::set<fs::path> maps;
  for (const auto &map : plan.maps) {
    maps.insert(map.path);
  }
  std::set<fs::path> linked_js;
  for (const auto &link : plan.links) {
    if (maps.contains(link.map)) {
      linked_js.insert(link.js);
    }
  }
  std::vector<fs::path> moved;
  nlohmann::json built_in = nlohmann::json::object();
  for (const auto &file : plan.files) {
    fs::path target = folder / "files" / url_path(file.url, options.url_prefix);
    if (maps.contains(file.path)) {
      built_in[file.url] =
          (file.built_in.empty() ? fs::absolute(file.path).parent_path()
                                 : file.built_in)
              .lexically_normal()
              .string();
      move_file(file.path, target);
      moved.push_back(file.path);
    } else if (linked_js.contains(file.path)) {
      fs::create_directories(target.parent_path());
      util::write_file_atomic(target, util::read_file(file.path));
    }
  }
  nlohmann::json meta;
  meta["url_prefix"] = options.url_prefix;
  if (release) {
    meta["release"] = *release;
  }
  if (dist) {
    meta["dist"] = *dist;
  }
  meta["built_in"] = std::move(built_in);
  util::write_file_atomic(folder / "pending.json", meta.dump(2) + "\n");
  return moved;
}

std::vector<ParkedUpload> parked_uploads(const fs::path &pending_dir) {
  std::vector<ParkedUpload> parked;
  std::error_code ec;
  if (!fs::is_directory(pending_dir, ec)) {
    return parked;
  }
  for (const auto &entry : fs::directory_iterator(pending_dir)) {
    fs::path meta_path = entry.path() / "pending.json";
    if (!fs::is_regular_file(meta_path, ec)) {
      continue;
    }
    auto meta =
        nlohmann::json::parse(util::read_file(meta_path), nullptr, false);
    if (!meta.is_object()) {
      throw Error("pending upload " + entry.path().string() +
                  " has an unreadable pending.json; fix or remove it");
    }
    ParkedUpload upload{entry.path(),
                        meta.value("url_prefix", "~"),
                        std::nullopt,
                        std::nullopt,
                        {}};
    if (meta.contains("release")) {
      upload.release = meta["release"].get<std::string>();
    }
    if (meta.contains("dist")) {
      upload.dist = meta["dist"].get<std::string>();
    }
    // Parked by an older version: the maps' sources resolve from where
    // they are parked (their paths may then start with ../).
    if (meta.contains("built_in") && meta["built_in"].is_object()) {
      for (const auto &[url, folder] : meta["built_in"].items()) {
        if (folder.is_string()) {
          upload.built_in[url] =
              util::path_from_utf8(folder.get<std::string>());
        }
      }
    }
    parked.push_back(std::move(upload));
  }
  std::ranges::sort(parked, {}, &ParkedUpload::folder);
  return parked;
}

void discard_parked(const ParkedUpload &parked) {
  fs::remove_all(parked.folder);
}

} // namespace uploader::upload
