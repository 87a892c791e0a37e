#include "uploader/wasm/module.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace uploader::wasm;

namespace {

const std::string k_header("\0asm\1\0\0\0", 8);

std::string leb(std::uint32_t value) {
  std::string out;
  do {
    char byte = static_cast<char>(value & 0x7f);
    value >>= 7;
    out += static_cast<char>(byte | (value != 0 ? 0x80 : 0));
  } while (value != 0);
  return out;
}

std::string section(std::uint8_t id, const std::string &payload) {
  return std::string(1, static_cast<char>(id)) +
         leb(static_cast<std::uint32_t>(payload.size())) + payload;
}

std::string custom(const std::string &name, const std::string &content) {
  return section(0,
                 leb(static_cast<std::uint32_t>(name.size())) + name + content);
}

// One function `() -> i32` returning 42, its code, and the custom
// sections a `-g` build carries.
std::string module_with(const std::string &customs) {
  std::string type = section(1, std::string("\x01\x60\x00\x01\x7f", 5));
  std::string function = section(3, std::string("\x01\x00", 2));
  std::string code = section(10, std::string("\x01\x04\x00\x41\x2a\x0b", 6));
  return k_header + type + function + code + customs;
}

} // namespace

TEST(WasmModule, ReadsSectionsAndTheCustomOnesByName) {
  std::string bytes =
      module_with(custom(".debug_info", "DWARF") + custom("name", "N") +
                  custom("sourceMappingURL", leb(12) + "app.wasm.map"));
  ModuleInfo info = read_module(bytes);
  ASSERT_EQ(info.sections.size(), 6u);
  EXPECT_EQ(info.sections[0].id, 1);
  EXPECT_EQ(info.sections[0].offset, 8u);
  EXPECT_EQ(info.sections[3].name, ".debug_info");
  EXPECT_EQ(bytes.substr(info.sections[3].content,
                         info.sections[3].end - info.sections[3].content),
            "DWARF");
  EXPECT_TRUE(info.has_dwarf);
  EXPECT_FALSE(info.build_id);
  EXPECT_EQ(info.source_mapping_url, "app.wasm.map");
  // The Code section's payload: where DWARF addresses count from.
  ASSERT_TRUE(info.code_payload);
  EXPECT_EQ(bytes.substr(*info.code_payload, 2), std::string("\x01\x04", 2));
}

TEST(WasmModule, AModuleWithoutDwarfSaysSo) {
  ModuleInfo info = read_module(module_with(custom("name", "N")));
  EXPECT_FALSE(info.has_dwarf);
  EXPECT_EQ(info.sections.size(), 4u);
}

TEST(WasmModule, AddsABuildIdThatReadsBack) {
  std::string bytes = module_with(custom(".debug_line", "L"));
  std::string id = "0123456789abcdef";
  std::string with_id = with_build_id(bytes, id);
  EXPECT_EQ(with_id.substr(0, bytes.size()), bytes);
  ModuleInfo info = read_module(with_id);
  // Length-prefixed, as wasm-ld writes it; read back whole, as symbolic
  // reads it.
  EXPECT_EQ(info.build_id, "\x10" + id);
  EXPECT_EQ(info.sections.back().name, "build_id");
}

TEST(WasmModule, DropsOnlyTheSelectedCustomSections) {
  std::string bytes =
      module_with(custom(".debug_info", "I") + custom("name", "N") +
                  custom(".debug_line", "L"));
  bytes = with_build_id(bytes, "id");
  auto sections = read_sections(bytes);
  std::string stripped =
      without_sections(bytes, sections, [](const Section &s) {
        return is_dwarf_section(s.name);
      });
  EXPECT_EQ(stripped,
            module_with(custom("name", "N")) + custom("build_id", "\x02id"));
  ModuleInfo info = read_module(stripped);
  EXPECT_FALSE(info.has_dwarf);
  EXPECT_EQ(info.build_id, "\x02id");
}

TEST(WasmModule, RefusesWhatIsNotAModuleNamingTheOffset) {
  auto message = [](const std::string &bytes) {
    try {
      read_sections(bytes);
    } catch (const FormatError &error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("// not wasm"),
            "not a WebAssembly module (no \\0asm magic) at byte offset 0");
  EXPECT_EQ(
      message(std::string("\0asm\2\0\0\0", 8)),
      "unsupported WebAssembly version (only 1 is known) at byte offset 4");
  std::string good = module_with("");
  // The Code section claims 6 bytes; cut it to 3.
  EXPECT_EQ(message(good.substr(0, good.size() - 3)),
            "section 10 (6 bytes) runs past the end of the file at byte "
            "offset " +
                std::to_string(good.size() - 8));
  EXPECT_EQ(message(k_header + "\x01"),
            "the section size runs past the end of the file at byte offset 9");
  EXPECT_EQ(message(k_header + section(0, leb(9) + "ab")),
            "a custom section's name runs past the end of its section at "
            "byte offset 11");
}
