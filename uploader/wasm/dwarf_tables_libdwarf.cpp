#include "uploader/util/error.hpp"
#include "uploader/wasm/dwarf_tables.hpp"

#include <algorithm>
#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>
#include <map>

// The backend over libdwarf (Debian 12's 20210528 API): the module's DWARF
// sections are handed in through libdwarf's object-access interface, as an
// object format it does not know itself.
namespace uploader::wasm {

namespace {

// What the object-access callbacks see: section 0 is the null section
// libdwarf expects (as in ELF), sections 1.. the module's .debug_* ones.
struct ModuleSections {
  std::string_view bytes;
  const std::vector<Section> *sections;
};

int section_info(void *object, Dwarf_Half index, Dwarf_Obj_Access_Section *out,
                 int *) {
  const auto *module = static_cast<const ModuleSections *>(object);
  *out = {};
  if (index == 0) {
    out->name = "";
    return DW_DLV_OK;
  }
  const Section &section = (*module->sections)[index - 1];
  out->name = section.name.c_str();
  out->size = section.end - section.content;
  return DW_DLV_OK;
}

Dwarf_Endianness byte_order(void *) { return DW_OBJECT_LSB; }
// wasm32: 4-byte addresses and offsets.
Dwarf_Small four_bytes(void *) { return 4; }

Dwarf_Unsigned section_count(void *object) {
  return static_cast<const ModuleSections *>(object)->sections->size() + 1;
}

int load_section(void *object, Dwarf_Half index, Dwarf_Small **data, int *) {
  const auto *module = static_cast<const ModuleSections *>(object);
  if (index == 0) {
    return DW_DLV_NO_ENTRY;
  }
  const Section &section = (*module->sections)[index - 1];
  // libdwarf only reads through this pointer.
  *data = reinterpret_cast<Dwarf_Small *>(
      const_cast<char *>(module->bytes.data() + section.content));
  return DW_DLV_OK;
}

bool is_absolute(std::string_view path) {
  return path.starts_with('/') || (path.size() > 2 && path[1] == ':' &&
                                   (path[2] == '/' || path[2] == '\\'));
}

class DwarfReader {
public:
  DwarfReader(Dwarf_Debug debug, std::string_view what)
      : m_debug(debug), m_what(what) {}

  DwarfTables read() {
    Dwarf_Unsigned header_length = 0, abbrev = 0, type_offset = 0, next = 0;
    Dwarf_Half version = 0, address_size = 0, offset_size = 0, extension = 0,
               unit_type = 0;
    Dwarf_Sig8 signature;
    int status = DW_DLV_OK;
    while ((status = dwarf_next_cu_header_d(
                m_debug, true, &header_length, &version, &abbrev, &address_size,
                &offset_size, &extension, &signature, &type_offset, &next,
                &unit_type, &m_error)) == DW_DLV_OK) {
      Dwarf_Die unit = nullptr;
      if (dwarf_siblingof_b(m_debug, nullptr, true, &unit, &m_error) !=
          DW_DLV_OK) {
        fail("a compile unit has no root entry");
      }
      read_unit(unit, version);
      dwarf_dealloc_die(unit);
    }
    if (status == DW_DLV_ERROR) {
      fail("a compile unit header is malformed");
    }
    std::ranges::sort(m_tables.rows, {}, &LineRow::begin);
    return std::move(m_tables);
  }

private:
  [[noreturn]] void fail(const std::string &what_failed) {
    std::string detail =
        m_error ? std::string(": ") + dwarf_errmsg(m_error) : std::string();
    if (m_error) {
      dwarf_dealloc_error(m_debug, m_error);
      m_error = nullptr;
    }
    throw Error("the DWARF of " + m_what + " cannot be read (" + what_failed +
                detail + "); is it a module Emscripten or wasm-ld wrote?");
  }

  std::string text_attribute(Dwarf_Die die, Dwarf_Half name) {
    Dwarf_Attribute attribute = nullptr;
    if (dwarf_attr(die, name, &attribute, &m_error) != DW_DLV_OK) {
      return {};
    }
    char *text = nullptr;
    std::string value;
    if (dwarf_formstring(attribute, &text, &m_error) == DW_DLV_OK && text) {
      value = text;
    }
    dwarf_dealloc_attribute(attribute);
    return value;
  }

  // DW_AT_name, else that of the DIE it refines or inlines.
  std::string name_of(Dwarf_Die die, int hops = 0) {
    std::string name = text_attribute(die, DW_AT_name);
    if (!name.empty() || hops > 4) {
      return name;
    }
    for (int link : {DW_AT_abstract_origin, DW_AT_specification}) {
      Dwarf_Attribute attribute = nullptr;
      if (dwarf_attr(die, static_cast<Dwarf_Half>(link), &attribute,
                     &m_error) != DW_DLV_OK) {
        continue;
      }
      Dwarf_Off offset = 0;
      Dwarf_Die target = nullptr;
      if (dwarf_global_formref(attribute, &offset, &m_error) == DW_DLV_OK &&
          dwarf_offdie_b(m_debug, offset, true, &target, &m_error) ==
              DW_DLV_OK) {
        name = name_of(target, hops + 1);
        dwarf_dealloc_die(target);
      }
      dwarf_dealloc_attribute(attribute);
      if (!name.empty()) {
        break;
      }
    }
    return name;
  }

  void add_function(Dwarf_Die die, std::uint32_t depth, Dwarf_Half version,
                    Dwarf_Addr unit_base) {
    Dwarf_Addr low = 0, high = 0;
    Dwarf_Half form = 0;
    Dwarf_Form_Class form_class = DW_FORM_CLASS_UNKNOWN;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    if (dwarf_lowpc(die, &low, &m_error) == DW_DLV_OK &&
        dwarf_highpc_b(die, &high, &form, &form_class, &m_error) == DW_DLV_OK) {
      ranges.emplace_back(low, form_class == DW_FORM_CLASS_CONSTANT ? low + high
                                                                    : high);
    } else if (version < 5) {
      // DWARF 4's .debug_ranges (DWARF 5's rnglists name no function here).
      Dwarf_Attribute attribute = nullptr;
      Dwarf_Unsigned offset = 0;
      if (dwarf_attr(die, DW_AT_ranges, &attribute, &m_error) == DW_DLV_OK) {
        if (dwarf_global_formref(attribute, &offset, &m_error) != DW_DLV_OK) {
          dwarf_formudata(attribute, &offset, &m_error);
        }
        dwarf_dealloc_attribute(attribute);
        Dwarf_Ranges *list = nullptr;
        Dwarf_Signed count = 0;
        Dwarf_Unsigned bytes = 0;
        Dwarf_Off real = 0;
        if (dwarf_get_ranges_b(m_debug, offset, die, &real, &list, &count,
                               &bytes, &m_error) == DW_DLV_OK) {
          Dwarf_Addr base = unit_base;
          for (Dwarf_Signed i = 0; i < count; ++i) {
            if (list[i].dwr_type == DW_RANGES_ADDRESS_SELECTION) {
              base = list[i].dwr_addr2;
            } else if (list[i].dwr_type == DW_RANGES_ENTRY) {
              ranges.emplace_back(base + list[i].dwr_addr1,
                                  base + list[i].dwr_addr2);
            }
          }
          dwarf_ranges_dealloc(m_debug, list, count);
        }
      }
    }
    std::string name;
    for (auto [begin, end] : ranges) {
      if (is_tombstone(begin) || end <= begin) {
        continue;
      }
      if (name.empty()) {
        name = name_of(die);
      }
      m_tables.functions.push_back({begin, end, depth, name});
    }
    clear_error();
  }

  void walk_children(Dwarf_Die parent, std::uint32_t depth, Dwarf_Half version,
                     Dwarf_Addr unit_base) {
    Dwarf_Die child = nullptr;
    if (dwarf_child(parent, &child, &m_error) != DW_DLV_OK) {
      clear_error();
      return;
    }
    while (child) {
      Dwarf_Half tag = 0;
      if (dwarf_tag(child, &tag, &m_error) == DW_DLV_OK &&
          (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine)) {
        add_function(child, depth, version, unit_base);
      }
      walk_children(child, depth + 1, version, unit_base);
      Dwarf_Die sibling = nullptr;
      int status = dwarf_siblingof_b(m_debug, child, true, &sibling, &m_error);
      dwarf_dealloc_die(child);
      child = status == DW_DLV_OK ? sibling : nullptr;
    }
    clear_error();
  }

  // libdwarf joins a file to its include folder, the unit's own folder
  // too; Sentry's `filename` is the path below DW_AT_comp_dir, `abs_path`
  // the whole one.
  std::uint32_t file_index(std::string path, const std::string &comp_dir) {
    std::string folder =
        comp_dir.empty() || comp_dir.ends_with('/') ? comp_dir : comp_dir + "/";
    std::string abs_path = path;
    if (!folder.empty() && path.starts_with(folder) &&
        path.size() > folder.size()) {
      path.erase(0, folder.size());
    } else if (!is_absolute(path) && !folder.empty()) {
      abs_path = folder + path;
    }
    auto [it, added] = m_file_ids.try_emplace(
        abs_path, static_cast<std::uint32_t>(m_tables.files.size()));
    if (added) {
      m_tables.files.push_back({path, abs_path});
    }
    return it->second;
  }

  void read_lines(Dwarf_Die unit, const std::string &comp_dir) {
    Dwarf_Unsigned line_version = 0;
    Dwarf_Small table_count = 0;
    Dwarf_Line_Context context = nullptr;
    int status =
        dwarf_srclines_b(unit, &line_version, &table_count, &context, &m_error);
    if (status == DW_DLV_NO_ENTRY) {
      return; // a unit without code
    }
    if (status != DW_DLV_OK) {
      fail("a line table is malformed");
    }
    Dwarf_Line *lines = nullptr;
    Dwarf_Signed count = 0;
    if (dwarf_srclines_from_linecontext(context, &lines, &count, &m_error) !=
        DW_DLV_OK) {
      dwarf_srclines_dealloc_b(context);
      fail("a line table is malformed");
    }
    bool sequence_dead = false;
    bool sequence_start = true;
    for (Dwarf_Signed i = 0; i + 1 < count; ++i) {
      Dwarf_Addr begin = 0, end = 0;
      Dwarf_Bool ends_sequence = false;
      dwarf_lineaddr(lines[i], &begin, &m_error);
      dwarf_lineaddr(lines[i + 1], &end, &m_error);
      dwarf_lineendsequence(lines[i], &ends_sequence, &m_error);
      if (sequence_start) {
        // A sequence of a function wasm-ld dropped starts at a tombstone.
        sequence_dead = is_tombstone(begin);
      }
      sequence_start = ends_sequence;
      if (ends_sequence || sequence_dead || end <= begin) {
        continue;
      }
      Dwarf_Unsigned line = 0, column = 0;
      char *source = nullptr;
      dwarf_lineno(lines[i], &line, &m_error);
      dwarf_lineoff_b(lines[i], &column, &m_error);
      if (dwarf_linesrc(lines[i], &source, &m_error) != DW_DLV_OK || !source ||
          line == 0) {
        clear_error();
        continue; // line 0: compiler-made code with no source line
      }
      std::string path = source;
      dwarf_dealloc(m_debug, source, DW_DLA_STRING);
      m_tables.rows.push_back({begin, end,
                               file_index(std::move(path), comp_dir),
                               static_cast<std::uint32_t>(line),
                               static_cast<std::uint32_t>(column)});
    }
    dwarf_srclines_dealloc_b(context);
    clear_error();
  }

  void read_unit(Dwarf_Die unit, Dwarf_Half version) {
    std::string comp_dir = text_attribute(unit, DW_AT_comp_dir);
    clear_error();
    read_lines(unit, comp_dir);
    Dwarf_Addr base = 0;
    if (dwarf_lowpc(unit, &base, &m_error) != DW_DLV_OK) {
      base = 0;
      clear_error();
    }
    walk_children(unit, 1, version, base);
  }

  void clear_error() {
    if (m_error) {
      dwarf_dealloc_error(m_debug, m_error);
      m_error = nullptr;
    }
  }

  Dwarf_Debug m_debug;
  std::string m_what;
  Dwarf_Error m_error = nullptr;
  DwarfTables m_tables;
  std::map<std::string, std::uint32_t> m_file_ids;
};

} // namespace

bool dwarf_backend_available() { return true; }

DwarfTables read_dwarf_tables(std::string_view bytes,
                              const std::vector<Section> &sections,
                              std::string_view what) {
  ModuleSections module{bytes, &sections};
  Dwarf_Obj_Access_Methods methods{section_info, byte_order,    four_bytes,
                                   four_bytes,   section_count, load_section,
                                   nullptr};
  Dwarf_Obj_Access_Interface access{&module, &methods};
  Dwarf_Debug debug = nullptr;
  Dwarf_Error error = nullptr;
  int status = dwarf_object_init_b(&access, nullptr, nullptr,
                                   DW_GROUPNUMBER_ANY, &debug, &error);
  if (status != DW_DLV_OK) {
    std::string detail = status == DW_DLV_ERROR && error
                             ? std::string(dwarf_errmsg(error))
                             : "no .debug_info section";
    if (error) {
      dwarf_dealloc_error(nullptr, error);
    }
    throw Error("the DWARF of " + std::string(what) + " cannot be read (" +
                detail + "); is it a module Emscripten or wasm-ld wrote?");
  }
  struct Finish {
    Dwarf_Debug debug;
    ~Finish() {
      Dwarf_Error ignored = nullptr;
      dwarf_object_finish(debug, &ignored);
    }
  } finish{debug};
  return DwarfReader(debug, what).read();
}

} // namespace uploader::wasm
