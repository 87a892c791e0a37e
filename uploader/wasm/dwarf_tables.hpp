#pragma once

#include "uploader/wasm/dwarf_lines.hpp"
#include "uploader/wasm/module.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What DwarfLines keeps of a module's DWARF: flat, sorted tables, so that
// the DWARF reader (libdwarf) is needed only while a module is read.
namespace uploader::wasm {

struct LineRow {
  std::uint64_t begin = 0; // DWARF address: an offset into the Code payload
  std::uint64_t end = 0;   // one past the row's last byte
  std::uint32_t file = 0;  // index into DwarfTables::files
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

struct FunctionRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  std::uint32_t depth = 0; // nesting in the DIE tree: deeper is inner
  std::string name;
};

struct DwarfFile {
  std::string path;
  std::string abs_path;
};

struct DwarfTables {
  std::vector<DwarfFile> files;
  std::vector<LineRow> rows;            // sorted by begin
  std::vector<FunctionRange> functions; // any order
};

// The backend: reads `sections` (the module's .debug_* custom sections,
// their contents inside `bytes`) into tables. Throws Error naming `what`.
DwarfTables read_dwarf_tables(std::string_view bytes,
                              const std::vector<Section> &sections,
                              std::string_view what);

// Whether the backend can read DWARF (false: read_dwarf_tables throws).
bool dwarf_backend_available();

// The row and function at a DWARF address, from sorted tables.
std::optional<SourceLocation> locate(const DwarfTables &tables,
                                     std::uint64_t address);

// wasm-ld marks the DWARF of functions it dropped with these addresses
// (0, -1 or -2 in 32 bits): no real code lives there.
bool is_tombstone(std::uint64_t address);

} // namespace uploader::wasm
