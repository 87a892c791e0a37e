#include "uploader/upload/debug_files.hpp"

#include "uploader/discovery/walk.hpp"
#include "uploader/http/assemble.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/hash.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/wasm/identity.hpp"
#include "uploader/wasm/module.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace uploader::upload {

namespace fs = std::filesystem;

namespace {

std::string hex_sha1(std::string_view bytes) {
  return util::to_hex(util::sha1(bytes));
}

std::vector<bundle::Chunk> chunk(std::string_view bytes,
                                 std::uint64_t chunk_size) {
  std::vector<bundle::Chunk> chunks;
  for (std::uint64_t at = 0; at < bytes.size(); at += chunk_size) {
    std::uint64_t size = std::min<std::uint64_t>(chunk_size, bytes.size() - at);
    chunks.push_back({hex_sha1(bytes.substr(at, size)), at, size});
  }
  return chunks;
}

fs::path normal_absolute(const fs::path &path) {
  return fs::absolute(path).lexically_normal();
}

// Whether the section links to a file this cleanup removed (a URL relative
// to the module; remote URLs are never ours).
bool links_removed_file(std::string_view bytes, const wasm::Section &section,
                        const fs::path &module,
                        const std::set<fs::path> &removed) {
  std::optional<std::string> url;
  try {
    url = wasm::section_url(bytes, section);
  } catch (const wasm::FormatError &) {
    return false;
  }
  if (!url || url->find("://") != std::string::npos) {
    return false;
  }
  fs::path target =
      normal_absolute(module.parent_path() / util::path_from_utf8(*url));
  std::error_code error;
  return removed.contains(target) ||
         (section.name == "external_debug_info" && !fs::exists(target, error));
}

} // namespace

std::vector<fs::path> strip_debug_info(const DebugFilePlan &plan,
                                       const std::vector<DebugFile> &stored,
                                       const std::vector<fs::path> &removed,
                                       std::vector<std::string> &warnings) {
  std::set<fs::path> gone;
  for (const auto &path : removed) {
    gone.insert(normal_absolute(path));
  }
  std::map<fs::path, const DebugFile *> confirmed;
  for (const auto &file : stored) {
    confirmed[file.path] = &file;
  }
  std::vector<fs::path> stripped;
  for (const auto &module : plan.modules) {
    auto uploaded = confirmed.find(module);
    std::string bytes = util::read_file(module);
    bool drop_dwarf = uploaded != confirmed.end();
    if (drop_dwarf && hex_sha1(bytes) != uploaded->second->checksum) {
      warnings.push_back(util::path_to_utf8(module) +
                         " changed after it was read, so what Sentry (or the "
                         "parked copy) has is not it: its DWARF is kept; "
                         "upload it again");
      drop_dwarf = false;
    }
    auto sections = wasm::read_sections(bytes);
    std::string lean = wasm::without_sections(
        bytes, sections, [&](const wasm::Section &section) {
          return (drop_dwarf && wasm::is_dwarf_section(section.name)) ||
                 links_removed_file(bytes, section, module, gone);
        });
    if (lean.size() != bytes.size()) {
      util::write_file_atomic(module, lean);
      stripped.push_back(module);
    }
  }
  return stripped;
}

DebugFilePlan plan_debug_files(const PlanOptions &options) {
  discovery::WalkOptions walk;
  walk.roots = options.roots;
  walk.extensions = {"wasm"};
  walk.ignores = options.ignores;
  walk.ignore_file_lines = options.ignore_file_lines;
  DebugFilePlan plan;
  wasm::BuildIdOwners owners;
  for (const auto &found : discovery::walk(walk)) {
    std::string path = util::path_to_utf8(found.path);
    if (!path.ends_with(".wasm")) {
      continue; // a file named on the command line is walked whatever it is
    }
    std::string bytes = util::read_file(found.path);
    wasm::ModuleInfo info;
    try {
      info = wasm::read_module(bytes);
    } catch (const wasm::FormatError &error) {
      throw Error(wasm::bad_module_message(path, error));
    }
    plan.modules.push_back(found.path);
    if (!info.has_dwarf) {
      plan.warnings.push_back(
          path + " has no DWARF (.debug_* sections), so Sentry could not "
                 "symbolicate it: nothing uploaded for it (build with -g to "
                 "upload one)");
      continue;
    }
    // An empty (or all-zero) ID reads as the nil debug ID, which Sentry
    // cannot match to anything; sentry-cli skips such files too.
    if (!info.build_id || wasm::debug_id(*info.build_id) ==
                              "00000000-0000-0000-0000-000000000000") {
      plan.warnings.push_back(
          path + " has no build ID, so Sentry could not match it to "
                 "events: nothing uploaded for it (run inject first, or "
                 "upload --inject)");
      continue;
    }
    DebugFile file;
    file.path = found.path;
    file.name = util::path_to_utf8(found.path.filename());
    file.debug_id = wasm::debug_id(*info.build_id);
    file.code_id = wasm::code_id(*info.build_id);
    file.checksum = hex_sha1(bytes);
    file.size = bytes.size();
    std::string message;
    switch (owners.claim(*info.build_id, path, file.checksum, message)) {
    case wasm::BuildIdOwners::Claim::conflict:
      throw Error(message);
    case wasm::BuildIdOwners::Claim::same_module:
      continue; // the same file twice: sent once
    case wasm::BuildIdOwners::Claim::new_id:
      break;
    }
    plan.files.push_back(std::move(file));
  }
  return plan;
}

std::vector<DebugFileSummary>
upload_debug_files(http::Api &api, const http::ChunkUploadOptions &options,
                   const std::string &org,
                   const std::vector<std::string> &projects,
                   const DebugFilePlan &plan, const TransferSettings &settings,
                   const PhaseReporter &report, const ChunkProgress &progress) {
  std::vector<DebugFileSummary> summaries;
  for (const auto &file : plan.files) {
    DebugFileSummary summary{file, projects, {}};
    std::string bytes = util::read_file(file.path);
    if (hex_sha1(bytes) != file.checksum) {
      throw Error(util::path_to_utf8(file.path) +
                  " changed while the upload ran; nothing of it was sent: "
                  "run the upload again once the build is done");
    }
    summary.file.chunks = chunk(bytes, options.chunk_size);
    http::DifAssembleRequest request{
        file.checksum, file.name, file.debug_id, {}};
    for (const auto &piece : summary.file.chunks) {
      request.chunks.push_back(piece.sha1);
    }
    for (const auto &project : projects) {
      report("debug file " + file.name + " (" + file.debug_id +
             ") for project " + project);
      summary.transfer = transfer_missing_chunks(
          api, options, file.path, summary.file.chunks,
          [&] { return http::assemble_debug_file(api, org, project, request); },
          "the debug file " + file.name, settings, report, progress);
    }
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

fs::path park_debug_files(const DebugFilePlan &plan,
                          const fs::path &pending_dir) {
  auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
  fs::path folder = pending_dir / ("modules-" + std::to_string(stamp));
  fs::create_directories(folder);
  for (const auto &file : plan.files) {
    // One folder per module: two modules may share a file name.
    fs::path target = folder / file.checksum / file.path.filename();
    fs::create_directories(target.parent_path());
    util::write_file_atomic(target, util::read_file(file.path));
  }
  return folder;
}

std::vector<fs::path> parked_debug_files(const fs::path &pending_dir) {
  std::vector<fs::path> folders;
  std::error_code error;
  if (!fs::is_directory(pending_dir, error)) {
    return folders;
  }
  for (const auto &entry : fs::directory_iterator(pending_dir)) {
    if (entry.is_directory() &&
        util::path_to_utf8(entry.path().filename()).starts_with("modules-")) {
      folders.push_back(entry.path());
    }
  }
  std::ranges::sort(folders);
  return folders;
}

} // namespace uploader::upload
