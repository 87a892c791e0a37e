#include "uploader/resolve/wasm_modules.hpp"

#include "uploader/discovery/walk.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/strings.hpp"
#include "uploader/wasm/identity.hpp"
#include "uploader/wasm/module.hpp"

namespace uploader::resolve {

namespace fs = std::filesystem;

void WasmModules::add(const std::string &code_id, Module module) {
  auto it = m_modules.find(code_id);
  // A debug file beats a stripped copy of the same module.
  if (it == m_modules.end() || (!it->second.has_dwarf && module.has_dwarf)) {
    m_modules.insert_or_assign(code_id, std::move(module));
  }
}

void WasmModules::add_folder(const fs::path &folder) {
  discovery::WalkOptions walk;
  walk.roots = {util::path_to_utf8(folder)};
  walk.extensions = {"wasm"};
  for (const auto &found : discovery::walk(walk)) {
    std::string bytes = util::read_file(found.path);
    wasm::ModuleInfo info;
    try {
      info = wasm::read_module(bytes);
    } catch (const wasm::FormatError &) {
      continue; // not a module: no frame can point into it
    }
    if (!info.build_id) {
      continue;
    }
    Module module;
    module.origin = util::path_to_utf8(found.path);
    module.path = found.path;
    module.has_dwarf = info.has_dwarf;
    add(wasm::code_id(*info.build_id), std::move(module));
  }
}

bool WasmModules::add_module(std::string bytes, const std::string &origin) {
  wasm::ModuleInfo info;
  try {
    info = wasm::read_module(bytes);
  } catch (const wasm::FormatError &error) {
    throw Error(wasm::bad_module_message(origin, error));
  }
  if (!info.build_id) {
    return false;
  }
  Module module;
  module.origin = origin;
  module.has_dwarf = info.has_dwarf;
  module.bytes = std::move(bytes);
  add(wasm::code_id(*info.build_id), std::move(module));
  return true;
}

bool WasmModules::has_debug_file(const std::string &code_id) const {
  auto it = m_modules.find(code_id);
  return it != m_modules.end() && it->second.has_dwarf;
}

std::optional<WasmModules::Found>
WasmModules::locate(const std::string &code_id, std::uint64_t module_offset,
                    std::string &why) {
  auto it = m_modules.find(code_id);
  if (it == m_modules.end()) {
    why = "no WebAssembly module with code ID " + code_id +
          " (its build ID) was found";
    return std::nullopt;
  }
  Module &module = it->second;
  if (!module.has_dwarf) {
    why = module.origin + " has that build ID but no DWARF: it is the "
                          "deployed, stripped module; resolve from the "
                          "uploaded debug file (--from-server)";
    return std::nullopt;
  }
  if (!module.lines) {
    std::string bytes = module.path.empty() ? std::move(module.bytes)
                                            : util::read_file(module.path);
    module.lines = std::make_unique<wasm::DwarfLines>(bytes, module.origin);
  }
  auto location = module.lines->lookup(module_offset);
  if (!location) {
    why = "the DWARF of " + module.origin + " has no line for offset " +
          util::hex_address(module_offset);
    return std::nullopt;
  }
  return Found{*location, module.origin};
}

} // namespace uploader::resolve
