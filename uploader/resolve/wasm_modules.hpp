#pragma once

#include "uploader/wasm/dwarf_lines.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace uploader::resolve {

// WebAssembly debug files resolve can map frames with, by code ID (the
// build ID in hex, as `debug_meta.images[].code_id` names a module): the
// .wasm files of a folder, or files downloaded from Sentry.
class WasmModules {
public:
  // Every .wasm under `folder` that has a build ID. A module without DWARF
  // is kept too, so that a frame pointing at it learns that it was
  // stripped; a file that is not a module is skipped.
  void add_folder(const std::filesystem::path &folder);
  // A module's bytes, e.g. as downloaded; `origin` names it in messages.
  // Returns whether it has a build ID (else it is not added).
  bool add_module(std::string bytes, const std::string &origin);

  bool has_debug_file(const std::string &code_id) const;

  struct Found {
    wasm::SourceLocation location;
    std::string origin; // the file it came from
  };
  // The location of `module_offset` in the module with `code_id`; nullopt
  // with the reason in `why`. Throws Error when the file's DWARF cannot be
  // read (or this build has no DWARF reader).
  std::optional<Found> locate(const std::string &code_id,
                              std::uint64_t module_offset, std::string &why);

private:
  struct Module {
    std::string origin;
    std::filesystem::path path; // folder files: read when first used
    std::string bytes;          // downloaded files
    bool has_dwarf = false;
    std::unique_ptr<wasm::DwarfLines> lines;
  };
  void add(const std::string &code_id, Module module);

  std::map<std::string, Module> m_modules;
};

} // namespace uploader::resolve
