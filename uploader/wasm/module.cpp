#include "uploader/wasm/module.hpp"

#include <array>

namespace uploader::wasm {

namespace {

constexpr std::array<char, 8> k_header = {'\0', 'a', 's', 'm', 1, 0, 0, 0};

struct Reader {
  std::string_view bytes;
  std::size_t at = 0;

  [[noreturn]] void fail(const std::string &what) const {
    throw FormatError(what + " at byte offset " + std::to_string(at));
  }

  // An unsigned LEB128 of at most 32 bits, as the format's varuint32.
  std::uint32_t u32(const char *what) {
    std::uint64_t value = 0;
    std::size_t start = at;
    for (int shift = 0; shift < 35; shift += 7) {
      if (at >= bytes.size()) {
        at = start;
        fail(std::string("the ") + what + " runs past the end of the file");
      }
      auto byte = static_cast<std::uint8_t>(bytes[at++]);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        if (value > 0xffffffffu) {
          at = start;
          fail(std::string("the ") + what + " does not fit in 32 bits");
        }
        return static_cast<std::uint32_t>(value);
      }
    }
    at = start;
    fail(std::string("the ") + what + " is longer than 5 bytes");
  }
};

void append_u32(std::string &out, std::uint32_t value) {
  do {
    auto byte = static_cast<char>(value & 0x7f);
    value >>= 7;
    out += static_cast<char>(byte | (value != 0 ? 0x80 : 0));
  } while (value != 0);
}

std::string custom_payload(std::string_view bytes, const Section &section) {
  return std::string(
      bytes.substr(section.content, section.end - section.content));
}

} // namespace

bool has_wasm_magic(std::string_view bytes) {
  return bytes.size() >= 4 &&
         bytes.substr(0, 4) == std::string_view("\0asm", 4);
}

std::vector<Section> read_sections(std::string_view bytes) {
  if (!has_wasm_magic(bytes)) {
    throw FormatError("not a WebAssembly module (no \\0asm magic) at byte "
                      "offset 0");
  }
  if (bytes.size() < k_header.size() ||
      bytes.substr(4, 4) != std::string_view(k_header.data() + 4, 4)) {
    throw FormatError("unsupported WebAssembly version (only 1 is known) at "
                      "byte offset 4");
  }
  Reader reader{bytes, k_header.size()};
  std::vector<Section> sections;
  while (reader.at < bytes.size()) {
    Section section;
    section.offset = reader.at;
    section.id = static_cast<std::uint8_t>(bytes[reader.at++]);
    std::uint32_t size = reader.u32("section size");
    section.payload = reader.at;
    if (size > bytes.size() - reader.at) {
      reader.at = section.offset;
      reader.fail("section " + std::to_string(section.id) + " (" +
                  std::to_string(size) +
                  " bytes) runs past the end of the file");
    }
    section.end = section.payload + size;
    if (section.id == k_custom_section) {
      Reader name{bytes.substr(0, section.end), section.payload};
      std::uint32_t length = name.u32("custom section's name length");
      if (length > section.end - name.at) {
        name.fail("a custom section's name runs past the end of its section");
      }
      section.name = std::string(bytes.substr(name.at, length));
      section.content = name.at + length;
    } else {
      section.content = section.payload;
    }
    reader.at = section.end;
    sections.push_back(std::move(section));
  }
  return sections;
}

std::optional<std::string> section_url(std::string_view bytes,
                                       const Section &section) {
  if (section.id != k_custom_section || !is_link_section(section.name)) {
    return std::nullopt;
  }
  // A length-prefixed URL.
  Reader url{bytes.substr(0, section.end), section.content};
  std::uint32_t length = url.u32(("URL length of " + section.name).c_str());
  if (length > section.end - url.at) {
    url.fail("the URL of " + section.name + " runs past its section");
  }
  return std::string(bytes.substr(url.at, length));
}

std::string bad_module_message(std::string_view path,
                               const FormatError &error) {
  return std::string(path) + ": " + error.what() +
         "; rebuild it or remove it from the folder";
}

bool is_dwarf_section(std::string_view name) {
  return name.starts_with(".debug_");
}

bool is_link_section(std::string_view name) {
  return name == "sourceMappingURL" || name == "external_debug_info";
}

ModuleInfo read_module(std::string_view bytes) {
  ModuleInfo info;
  info.sections = read_sections(bytes);
  for (const auto &section : info.sections) {
    if (section.id == k_code_section) {
      info.code_payload = section.payload;
    }
    if (section.id != k_custom_section) {
      continue;
    }
    if (is_dwarf_section(section.name)) {
      info.has_dwarf = true;
    } else if (section.name == "build_id" && !info.build_id) {
      info.build_id = custom_payload(bytes, section);
    } else if (auto url = section_url(bytes, section)) {
      (section.name == "sourceMappingURL" ? info.source_mapping_url
                                          : info.external_debug_info) =
          std::move(url);
    }
  }
  return info;
}

std::string with_build_id(std::string_view bytes, std::string_view id) {
  static constexpr std::string_view name = "build_id";
  std::string payload;
  append_u32(payload, static_cast<std::uint32_t>(name.size()));
  payload += name;
  payload += build_id_payload(id);
  std::string out(bytes);
  out += static_cast<char>(k_custom_section);
  append_u32(out, static_cast<std::uint32_t>(payload.size()));
  out += payload;
  return out;
}

std::string build_id_payload(std::string_view id) {
  std::string payload;
  append_u32(payload, static_cast<std::uint32_t>(id.size()));
  payload += id;
  return payload;
}

std::string without_sections(std::string_view bytes,
                             const std::vector<Section> &sections,
                             const std::function<bool(const Section &)> &drop) {
  std::string out(bytes.substr(0, k_header.size()));
  for (const auto &section : sections) {
    if (section.id == k_custom_section && drop(section)) {
      continue;
    }
    out += bytes.substr(section.offset, section.end - section.offset);
  }
  return out;
}

} // namespace uploader::wasm
