#include "uploader/inject/wasm_build_ids.hpp"

#include "uploader/util/hash.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/wasm/identity.hpp"
#include "uploader/wasm/module.hpp"

namespace uploader::inject {

WasmBuildIds
prepare_build_ids(const std::vector<discovery::DiscoveredFile> &walked,
                  bool dry_run, bool skip_invalid) {
  WasmBuildIds ids;
  wasm::BuildIdOwners owners;
  for (const auto &file : walked) {
    std::string path = util::path_to_utf8(file.path);
    std::string bytes = util::read_file(file.path);
    wasm::ModuleInfo info;
    try {
      info = wasm::read_module(bytes);
    } catch (const wasm::FormatError &error) {
      if (skip_invalid) {
        ids.skipped.emplace_back(path, error.what());
      } else {
        ids.errors.push_back(wasm::bad_module_message(path, error));
      }
      continue;
    }
    bool given = !info.build_id;
    std::string id = given ? wasm::derive_build_id(bytes) : std::string();
    std::string build_id = given ? wasm::build_id_payload(id) : *info.build_id;
    std::string message;
    if (owners.claim(build_id, path, util::to_hex(util::sha1(bytes)),
                     message) == wasm::BuildIdOwners::Claim::conflict) {
      ids.conflict = true;
      ids.errors.push_back(std::move(message));
      continue;
    }
    WasmModuleItem item{path, wasm::code_id(build_id),
                        wasm::debug_id(build_id)};
    if (!given) {
      ids.kept.push_back(std::move(item));
      continue;
    }
    if (!dry_run) {
      auto staged = std::make_unique<util::StagedFile>(file.path);
      staged->write(wasm::with_build_id(bytes, id));
      ids.staged.push_back(std::move(staged));
    }
    ids.given.push_back(std::move(item));
  }
  if (!ids.errors.empty()) {
    ids.staged.clear(); // their temporary files go with them
  }
  return ids;
}

void commit_build_ids(WasmBuildIds &ids,
                      const std::filesystem::path &journal_folder) {
  std::vector<util::StagedFile *> files;
  for (auto &staged : ids.staged) {
    files.push_back(staged.get());
  }
  if (!files.empty()) {
    util::commit_all(files, journal_folder);
  }
  ids.staged.clear();
}

} // namespace uploader::inject
