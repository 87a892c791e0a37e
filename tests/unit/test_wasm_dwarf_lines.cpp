#include "uploader/wasm/dwarf_lines.hpp"
#include "uploader/wasm/dwarf_tables.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace uploader::wasm;

namespace {

// Two rows of one function at 0x10..0x20 with an inlined call inside it at
// 0x14..0x18, and a gap (no row) at 0x20..0x30, then a row of another file.
DwarfTables tables() {
  DwarfTables out;
  out.files = {{"src/a.cpp", "/build/src/a.cpp"}, {"/abs/b.cpp", "/abs/b.cpp"}};
  out.rows = {
      {0x10, 0x14, 0, 3, 5}, {0x14, 0x20, 0, 9, 0}, {0x30, 0x34, 1, 40, 2}};
  out.functions = {{0x14, 0x18, 2, "inner"}, {0x10, 0x20, 1, "outer"}};
  return out;
}

} // namespace

TEST(WasmDwarfLines, LocatesTheRowAndTheInnermostFunction) {
  DwarfTables t = tables();
  auto first = locate(t, 0x10);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->path, "src/a.cpp");
  EXPECT_EQ(first->abs_path, "/build/src/a.cpp");
  EXPECT_EQ(first->line, 3u);
  EXPECT_EQ(first->column, 5u);
  EXPECT_EQ(first->function, "outer");
  auto inlined = locate(t, 0x15);
  ASSERT_TRUE(inlined);
  EXPECT_EQ(inlined->line, 9u);
  EXPECT_EQ(inlined->function, "inner");
  EXPECT_EQ(locate(t, 0x18)->function, "outer"); // the inlined range ended
  auto other = locate(t, 0x33);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->abs_path, "/abs/b.cpp");
  EXPECT_EQ(other->function, ""); // no DIE covers it
}

TEST(WasmDwarfLines, AddressesNoRowCoversAreNotFound) {
  DwarfTables t = tables();
  EXPECT_FALSE(locate(t, 0x0f));
  EXPECT_FALSE(locate(t, 0x20)); // the end of a row is outside it
  EXPECT_FALSE(locate(t, 0x2f));
  EXPECT_FALSE(locate(t, 0x34));
  EXPECT_FALSE(locate(DwarfTables{}, 0x10));
}

TEST(WasmDwarfLines, TombstonesAreTheAddressesWasmLdGivesDroppedCode) {
  EXPECT_TRUE(is_tombstone(0));
  EXPECT_TRUE(is_tombstone(0xffffffff));
  EXPECT_TRUE(is_tombstone(0xfffffffe));
  EXPECT_FALSE(is_tombstone(1));
  EXPECT_FALSE(is_tombstone(0xfffffffd));
}

TEST(WasmDwarfLines, AModuleWithoutDwarfIsRefusedWithTheReason) {
  // One function returning 42 and no custom section.
  const std::string module("\0asm\1\0\0\0"
                           "\x01\x05\x01\x60\x00\x01\x7f"
                           "\x03\x02\x01\x00"
                           "\x0a\x06\x01\x04\x00\x41\x2a\x0b",
                           8 + 7 + 4 + 8);
  try {
    DwarfLines lines(module, "dist/app.wasm");
    FAIL() << "no error";
  } catch (const uploader::Error &error) {
    EXPECT_STREQ(error.what(),
                 "dist/app.wasm has no DWARF (.debug_* sections): it is a "
                 "stripped module, not its debug file; resolve needs the "
                 "module as uploaded (before --delete-after), or "
                 "--from-server");
  }
  try {
    DwarfLines lines(std::string("\0asm\2\0\0\0", 8), "x.wasm");
    FAIL() << "no error";
  } catch (const uploader::Error &error) {
    EXPECT_NE(std::string(error.what()).find("x.wasm"), std::string::npos);
  }
}

TEST(WasmDwarfLines, ABuildWithoutTheReaderSaysHowToGetIt) {
  if (can_read_dwarf()) {
    GTEST_SKIP()
        << "built with libdwarf (tests/integration/test_wasm_resolve.py "
           "checks it against llvm-symbolizer)";
  }
  try {
    read_dwarf_tables("", {}, "dist/app.wasm");
    FAIL() << "no error";
  } catch (const uploader::Error &error) {
    EXPECT_NE(std::string(error.what()).find("built without libdwarf"),
              std::string::npos);
  }
}
