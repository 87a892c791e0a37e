#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

// Source locations for WebAssembly code offsets, read from the DWARF that a
// module carries in its ".debug_*" custom sections (what `upload` sends to
// Sentry as the module's debug file). Built on libdwarf where CMake found it;
// without it every reader throws an Error saying how to get it.
namespace uploader::wasm {

struct SourceLocation {
  std::string path;     // as the line table names it ("src/divide.cpp")
  std::string abs_path; // `path` joined to the unit's DW_AT_comp_dir
  std::uint32_t line = 0;
  std::uint32_t column = 0; // 0: the line table gives none
  // The innermost function (or inlined call) whose range holds the
  // address, by DW_AT_name (followed through DW_AT_abstract_origin and
  // DW_AT_specification); empty when no DIE covers it.
  std::string function;
};

// Whether this build can read DWARF at all.
bool can_read_dwarf();

class DwarfLines {
public:
  // Reads the line tables and function ranges of the module `bytes` once.
  // Throws Error naming `what` when the module has no DWARF, when the DWARF
  // is malformed, or when this build has no DWARF reader.
  DwarfLines(std::string_view bytes, std::string_view what);
  ~DwarfLines();
  DwarfLines(DwarfLines &&) noexcept;
  DwarfLines &operator=(DwarfLines &&) noexcept;

  // The location of the instruction at `module_offset`, a byte offset into
  // the module file as browsers report it (`wasm-function[3]:0x1a3`).
  // DWARF addresses in WebAssembly count from the Code section's payload,
  // which this subtracts. nullopt when no line row covers the address.
  std::optional<SourceLocation> lookup(std::uint64_t module_offset) const;

private:
  struct Tables;
  std::unique_ptr<Tables> m_tables;
};

} // namespace uploader::wasm
