#include "uploader/wasm/dwarf_lines.hpp"

#include "uploader/wasm/dwarf_tables.hpp"

#include <algorithm>

namespace uploader::wasm {

bool is_tombstone(std::uint64_t address) {
  return address == 0 || address >= 0xfffffffeULL;
}

std::optional<SourceLocation> locate(const DwarfTables &tables,
                                     std::uint64_t address) {
  auto after = std::upper_bound(tables.rows.begin(), tables.rows.end(), address,
                                [](std::uint64_t value, const LineRow &row) {
                                  return value < row.begin;
                                });
  if (after == tables.rows.begin()) {
    return std::nullopt;
  }
  const LineRow &row = *std::prev(after);
  if (address >= row.end) {
    return std::nullopt;
  }
  SourceLocation location;
  location.path = tables.files[row.file].path;
  location.abs_path = tables.files[row.file].abs_path;
  location.line = row.line;
  location.column = row.column;
  const FunctionRange *inner = nullptr;
  for (const auto &function : tables.functions) {
    if (function.begin <= address && address < function.end &&
        (!inner || function.depth > inner->depth)) {
      inner = &function;
    }
  }
  if (inner) {
    location.function = inner->name;
  }
  return location;
}

bool can_read_dwarf() { return dwarf_backend_available(); }

struct DwarfLines::Tables {
  std::size_t code_payload = 0;
  DwarfTables dwarf;
};

DwarfLines::DwarfLines(std::string_view bytes, std::string_view what)
    : m_tables(std::make_unique<Tables>()) {
  ModuleInfo info;
  try {
    info = read_module(bytes);
  } catch (const FormatError &error) {
    throw Error(bad_module_message(what, error));
  }
  if (!info.has_dwarf) {
    throw Error(std::string(what) +
                " has no DWARF (.debug_* sections): it is a stripped module, "
                "not its debug file; resolve needs the module as uploaded "
                "(before --delete-after), or --from-server");
  }
  if (!info.code_payload) {
    throw Error(std::string(what) +
                " has DWARF but no Code section, so no frame can point "
                "into it");
  }
  std::vector<Section> sections;
  std::ranges::copy_if(
      info.sections, std::back_inserter(sections), [](const Section &section) {
        return section.id == k_custom_section && is_dwarf_section(section.name);
      });
  m_tables->code_payload = *info.code_payload;
  m_tables->dwarf = read_dwarf_tables(bytes, sections, what);
}

DwarfLines::~DwarfLines() = default;
DwarfLines::DwarfLines(DwarfLines &&) noexcept = default;
DwarfLines &DwarfLines::operator=(DwarfLines &&) noexcept = default;

std::optional<SourceLocation>
DwarfLines::lookup(std::uint64_t module_offset) const {
  if (module_offset < m_tables->code_payload) {
    return std::nullopt;
  }
  return locate(m_tables->dwarf, module_offset - m_tables->code_payload);
}

} // namespace uploader::wasm
