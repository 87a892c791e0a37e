#include "uploader/sourcemap/debug_id.hpp"
#include "uploader/sourcemap/injection.hpp"
#include "uploader/sourcemap/mappings.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <random>
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

namespace {

std::string rewrite_by_tokens(std::string_view mappings, const LineEdit *edit) {
  std::string out;
  reencode_mappings(mappings, 10, 10, edit, out);
  return out;
}

// Random canonical mappings, then one of the ways a bundler may differ from
// the canonical form.
std::string random_mappings(std::mt19937 &rng) {
  auto pick = [&](std::uint32_t n) {
    return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng);
  };
  std::vector<Token> tokens;
  std::uint32_t lines = 1 + pick(6);
  for (std::uint32_t l = pick(2); l < lines; ++l) {
    std::uint32_t col = 0;
    for (std::uint32_t k = pick(4); k > 0; --k) {
      col += pick(3) == 0 ? 0 : pick(40);
      Token token{l, col};
      if (pick(4) != 0) {
        token.src_id = pick(10);
        token.src_line = pick(50);
        token.src_col = pick(80);
        if (pick(2) == 0) {
          token.name_id = pick(10);
        }
      }
      tokens.push_back(token);
    }
  }
  std::string text;
  MappingsEncoder encoder(text);
  for (const Token &token : tokens) {
    encoder.add(token);
  }
  std::string variant = text;
  switch (pick(8)) {
  case 0:
    variant += ";"; // a trailing empty line
    break;
  case 1:
    if (auto comma = variant.find(','); comma != std::string::npos) {
      variant.insert(comma, ",");
    }
    break;
  case 2:
    if (!variant.empty() && variant[0] == 'A') {
      variant.replace(0, 1, "gA"); // a superfluous zero digit
    }
    break;
  case 3:
    if (auto seg = variant.find(",A"); seg != std::string::npos) {
      variant.replace(seg + 1, 1, "B"); // negative zero
    }
    break;
  case 4:
    if (auto semi = variant.find(';');
        semi != std::string::npos && semi > 0 && variant[semi - 1] != ';') {
      std::size_t start = variant.rfind(';', semi - 1);
      start = start == std::string::npos ? 0 : start + 1;
      std::string segment = variant.substr(start, semi - start);
      variant.insert(semi, "," + segment.substr(0, segment.find(',')));
    }
    break;
  default:
    break;
  }
  return variant;
}

} // namespace

TEST(SourcemapMappings, FastPathMatchesTheTokenPipeline) {
  std::mt19937 rng(20261129);
  int fast = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string mappings = random_mappings(rng);
    LineEdit edit;
    edit.split_line = static_cast<std::uint32_t>(rng() % 4);
    edit.split_col =
        static_cast<std::uint32_t>(rng() % 5 == 0 ? 1 + rng() % 20 : 0);
    edit.content_lines = static_cast<std::uint32_t>(1 + rng() % 8);
    edit.has_tail = rng() % 10 != 0;
    const LineEdit *used = rng() % 4 == 0 ? nullptr : &edit;
    std::string expected;
    try {
      expected = rewrite_by_tokens(mappings, used);
    } catch (const MappingsError &) {
      EXPECT_THROW(rewrite(mappings, used), MappingsError) << mappings;
      continue;
    }
    std::size_t insert_at = 0;
    fast += is_canonical_for_edit(mappings, 10, 10, used, insert_at) ? 1 : 0;
    EXPECT_EQ(rewrite(mappings, used), expected)
        << "mappings " << mappings << " split " << edit.split_line << ":"
        << edit.split_col << " lines " << edit.content_lines;
  }
  // Both paths were exercised.
  EXPECT_GT(fast, 4000);
  EXPECT_LT(fast, 18000);
}

TEST(SourcemapMappings, FastPathInsertsTheEditLinesAtTheSplit) {
  LineEdit edit;
  edit.split_line = 1;
  edit.content_lines = 3;
  edit.has_tail = true;
  std::size_t insert_at = 0;
  ASSERT_TRUE(
      is_canonical_for_edit("AAAA;AACA,IAAI;AACA", 10, 10, &edit, insert_at));
  EXPECT_EQ(insert_at, 5u);
  EXPECT_FALSE(is_canonical_for_edit("AAAA;AACA;", 10, 10, &edit, insert_at));
  EXPECT_FALSE(is_canonical_for_edit("AAAA;gAACA", 10, 10, &edit, insert_at));
  EXPECT_FALSE(is_canonical_for_edit("AAAA;BACA", 10, 10, &edit, insert_at));
  EXPECT_FALSE(
      is_canonical_for_edit("AAAA;AACA,AAAA", 10, 10, &edit, insert_at));
  EXPECT_FALSE(is_canonical_for_edit("AAAA;;;AACA", 10, 10, &edit, insert_at))
      << "a token past the end of the file";
}
