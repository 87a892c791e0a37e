#pragma once

#include "uploader/util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The WebAssembly binary format as far as debug files need it: the module
// header, its sections, and the custom sections that hold DWARF
// (".debug_*"), names, the build ID and links to external debug data.
// Code and data are never interpreted, only kept or dropped as whole
// sections.
namespace uploader::wasm {

// A file that is not a well-formed module: the message names the byte
// offset where reading stopped.
class FormatError : public Error {
public:
  using Error::Error;
};

constexpr std::uint8_t k_custom_section = 0;
constexpr std::uint8_t k_code_section = 10;

struct Section {
  std::uint8_t id = 0;
  std::size_t offset = 0;  // of the id byte
  std::size_t end = 0;     // one past the payload
  std::size_t payload = 0; // where the payload starts
  std::string name;        // custom sections only
  std::size_t content = 0; // custom sections: after the name
};

// "\0asm" and version 1.
bool has_wasm_magic(std::string_view bytes);

// Every section of `bytes`, in file order; throws FormatError for a bad
// header, a truncated size or name, or a section running past the end.
std::vector<Section> read_sections(std::string_view bytes);

struct ModuleInfo {
  std::vector<Section> sections;
  // The build_id section's whole payload, its length byte included: what
  // symbolic and @sentry/wasm take as the ID.
  std::optional<std::string> build_id;
  bool has_dwarf = false;                  // any ".debug_*" custom section
  std::optional<std::size_t> code_payload; // offset of the Code payload
  std::optional<std::string> source_mapping_url;
  std::optional<std::string> external_debug_info;
};

ModuleInfo read_module(std::string_view bytes);

// The URL a sourceMappingURL or external_debug_info section of `bytes`
// names; nullopt for any other section. Throws FormatError.
std::optional<std::string> section_url(std::string_view bytes,
                                       const Section &section);

// What the user reads about a file that is not a module.
std::string bad_module_message(std::string_view path, const FormatError &error);

// Whether a custom section holds DWARF.
bool is_dwarf_section(std::string_view name);

// Whether a custom section links to a file outside the module: a source
// map (sourceMappingURL) or split DWARF (external_debug_info).
bool is_link_section(std::string_view name);

// `bytes` with a build_id custom section appended after every other
// section, as wasm-ld's --build-id and Sentry's wasm-split write it: the
// payload is `id`'s length (LEB128) and `id`.
std::string with_build_id(std::string_view bytes, std::string_view id);

// The payload with_build_id writes for `id`: what ModuleInfo::build_id
// then reads.
std::string build_id_payload(std::string_view id);

// `bytes` without the custom sections `drop` selects; every other section
// (code, names, the build ID) byte for byte as it was.
std::string without_sections(std::string_view bytes,
                             const std::vector<Section> &sections,
                             const std::function<bool(const Section &)> &drop);

} // namespace uploader::wasm
