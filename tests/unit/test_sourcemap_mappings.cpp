#include "uploader/sourcemap/debug_id.hpp"
#include "uploader/sourcemap/injection.hpp"
#include "uploader/sourcemap/mappings.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

using namespace uploader::sourcemap;

namespace {

std::vector<Token> decode_all(std::string_view mappings) {
  MappingsDecoder decoder(mappings, 10, 10);
  std::vector<Token> all;
  std::vector<Token> line;
  while (decoder.next_line(line)) {
    all.insert(all.end(), line.begin(), line.end());
  }
  return all;
}

std::string rewrite(std::string_view mappings, const LineEdit *edit) {
  std::string out;
  rewrite_mappings(mappings, 10, 10, edit, out);
  return out;
}

// The original position a generated position resolves to (the closest
// token at or before it on that line), as source-map consumers do.
std::optional<std::pair<std::uint32_t, std::uint32_t>>
resolve(const std::vector<Token> &tokens, std::uint32_t line,
        std::uint32_t col) {
  std::optional<std::pair<std::uint32_t, std::uint32_t>> found;
  for (const auto &token : tokens) {
    if (token.dst_line == line && token.dst_col <= col) {
      found = std::pair(token.src_line, token.src_col);
    }
  }
  return found;
}

// Where a position of the original JS ends up after strategy A.
std::pair<std::uint32_t, std::uint32_t> moved(std::string_view js,
                                              std::size_t prelude,
                                              std::uint32_t line,
                                              std::uint32_t col) {
  LineEdit edit = line_edit_for_insert(js, prelude);
  if (line < edit.split_line) {
    return {line, col};
  }
  if (line == edit.split_line) {
    if (col < edit.split_col) {
      return {line, col};
    }
    return {line + 2, col - edit.split_col};
  }
  return {line + 2, col};
}

} // namespace

TEST(SourcemapMappings, ReencodesCanonically) {
  // Empty segments and trailing lines dropped, columns sorted, duplicates
  // written once.
  EXPECT_EQ(rewrite("AAAA,,AAAA;;KAAK,FAAF;;;", nullptr), "AAAA;;GAAG,EAAE");
  EXPECT_EQ(rewrite("", nullptr), "");
  EXPECT_EQ(rewrite(";;;", nullptr), "");
}

TEST(SourcemapMappings, UsualShiftPrependsTwoLines) {
  std::string js = "// header\nvar a = 1;\nvar b = 2;\n";
  LineEdit edit = line_edit_for_insert(js, find_prelude_end(js));
  EXPECT_EQ(edit.split_line, 1u);
  EXPECT_EQ(edit.split_col, 0u);
  EXPECT_EQ(rewrite("AAAA;AACA,IAAI;AACA", &edit), "AAAA;;;AACA,IAAI;AACA");
}

TEST(SourcemapMappings, MidLineSplitKeepsOriginalPositions) {
  std::string js = "\"use strict\";var a=1;f(a);\nfoo();\n";
  std::size_t prelude = find_prelude_end(js);
  ASSERT_EQ(prelude, 13u);
  // Line 0: tokens at columns 0, 17 and 21; line 1 at 0 and 3.
  std::string mappings = "AAAA,iBAAC,IAAI;AACL,GAAG";
  std::vector<Token> before = decode_all(mappings);
  LineEdit edit = line_edit_for_insert(js, prelude);
  std::vector<Token> after = decode_all(rewrite(mappings, &edit));

  std::string injected = inject_after_prelude(js, DebugId(), prelude);
  EXPECT_TRUE(injected.starts_with("\"use strict\";\n!function(){"));
  EXPECT_NE(injected.find("\nvar a=1;f(a);\nfoo();\n"), std::string::npos);

  std::uint32_t line = 0;
  std::uint32_t col = 0;
  for (char c : js) {
    auto old_pos = resolve(before, line, col);
    auto [new_line, new_col] = moved(js, prelude, line, col);
    EXPECT_EQ(resolve(after, new_line, new_col), old_pos)
        << "at " << line << ":" << col;
    if (c == '\n') {
      ++line;
      col = 0;
    } else {
      ++col;
    }
  }
  // The segment that spans the split is repeated at the start of the moved
  // remainder (as sentry-cli's adjust_mappings does).
  ASSERT_GE(after.size(), 2u);
  EXPECT_EQ(after[1].dst_line, 2u);
  EXPECT_EQ(after[1].dst_col, 0u);
  EXPECT_EQ(after[1].src_col, after[0].src_col);
}

TEST(SourcemapMappings, DropsTokensBeyondTheFile) {
  std::string js = "var a;\n";
  LineEdit edit = line_edit_for_insert(js, 0);
  EXPECT_EQ(rewrite("AAAA;AACA;AACA", &edit), ";;AAAA");
  std::string empty;
  LineEdit none = line_edit_for_insert(empty, 0);
  EXPECT_EQ(rewrite("AAAA;AACA", &none), "");
}

TEST(SourcemapMappings, RejectsInvalidMappings) {
  EXPECT_THROW(rewrite("AA!A", nullptr), MappingsError);
  EXPECT_THROW(rewrite("AA", nullptr), MappingsError);    // 2 values
  EXPECT_THROW(rewrite("AUAA", nullptr), MappingsError);  // source 10
  EXPECT_THROW(rewrite("AAAAU", nullptr), MappingsError); // name 10
  EXPECT_THROW(rewrite("AAAg", nullptr), MappingsError);  // truncated
  try {
    rewrite("AAAA,AA!A", nullptr);
  } catch (const MappingsError &error) {
    EXPECT_EQ(error.offset(), 7u);
  }
}
