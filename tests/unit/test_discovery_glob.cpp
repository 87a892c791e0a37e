#include "uploader/discovery/glob.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

using namespace uploader::discovery;

namespace {

struct GlobCase {
  std::string_view pattern;
  std::string_view text;
  bool matches;
};

void PrintTo(const GlobCase &c, std::ostream *os) {
  *os << "glob '" << c.pattern << "' on '" << c.text << "'";
}

class GlobMatch : public ::testing::TestWithParam<GlobCase> {};

TEST_P(GlobMatch, MatchesAsSpecified) {
  const GlobCase &c = GetParam();
  EXPECT_EQ(glob_match(c.pattern, c.text), c.matches);
  std::size_t steps = 0;
  EXPECT_EQ(detail::glob_match_counted(c.pattern, c.text, steps), c.matches);
  EXPECT_GE(steps, 1u);
  EXPECT_LE(steps, 1 + c.pattern.size() * (c.text.size() + 1));
}

// Literals match themselves and the whole text: a glob is anchored at both
// ends.
INSTANTIATE_TEST_SUITE_P(
    GlobLiterals, GlobMatch,
    ::testing::Values(
        GlobCase{"", "", true}, GlobCase{"", "a", false},
        GlobCase{"a", "", false}, GlobCase{"abc", "abc", true},
        GlobCase{"abc", "abcd", false}, GlobCase{"abc", "ab", false},
        GlobCase{"abc", "xabc", false}, GlobCase{"abc", "ABC", false},
        GlobCase{"a/b", "a/b", true}, GlobCase{"a/b", "a//b", false},
        // Bytes, not characters.
        GlobCase{"caf\xc3\xa9", "caf\xc3\xa9", true}));

INSTANTIATE_TEST_SUITE_P(
    GlobQuestionMark, GlobMatch,
    ::testing::Values(GlobCase{"a?c", "abc", true},
                      GlobCase{"a?c", "ac", false},
                      GlobCase{"a?c", "abbc", false}, GlobCase{"?", "", false},
                      GlobCase{"??", "ab", true},
                      // Never a separator.
                      GlobCase{"a?c", "a/c", false},
                      // One byte: a two-byte UTF-8 character takes two.
                      GlobCase{"?", "\xc3\xa9", false},
                      GlobCase{"??", "\xc3\xa9", true}));

// `*` covers any run of bytes within one path segment.
INSTANTIATE_TEST_SUITE_P(
    GlobStar, GlobMatch,
    ::testing::Values(
        GlobCase{"*", "", true}, GlobCase{"*", "abc", true},
        GlobCase{"*", "a/b", false}, GlobCase{"*", "/", false},
        GlobCase{"*.js", "app.js", true}, GlobCase{"*.js", ".js", true},
        GlobCase{"*.js", "app.jsx", false},
        GlobCase{"*.js", "dist/app.js", false}, GlobCase{"a*", "a", true},
        GlobCase{"a*", "ba", false}, GlobCase{"*/b", "a/b", true},
        GlobCase{"*/b", "/b", true}, GlobCase{"*/b", "a/c/b", false},
        GlobCase{"*/", "a/", true}, GlobCase{"a/*", "a/", true},
        GlobCase{"a/*", "a/b/c", false}, GlobCase{"*a", "a/a", false},
        GlobCase{"a*b*c", "aXbYc", true}, GlobCase{"a*b*c", "abc", true},
        GlobCase{"a*b*c", "abcb", false}, GlobCase{"a*b*c", "ab/c", false},
        GlobCase{"*.min.*", "x.min.js", true},
        GlobCase{"*.min.*", "x.js", false},
        // Backtracking: the first `b` is not the one that works.
        GlobCase{"*b?d", "abxbcd", true}, GlobCase{"*b?d", "abxbd", false}));

// `**` covers any run of bytes, `/` included; `**/` also matches no folder.
INSTANTIATE_TEST_SUITE_P(
    GlobDoubleStar, GlobMatch,
    ::testing::Values(
        GlobCase{"**", "", true}, GlobCase{"**", "a/b/c", true},
        GlobCase{"**.js", "dist/app.js", true}, GlobCase{"**b", "a/b", true},
        GlobCase{"a**", "ab/c", true}, GlobCase{"a/**", "a/", true},
        GlobCase{"a/**", "a/b/c", true}, GlobCase{"a/**", "a", false},
        GlobCase{"a/**", "b/c", false}, GlobCase{"**/b", "b", true},
        GlobCase{"**/b", "a/b", true}, GlobCase{"**/b", "a/c/b", true},
        GlobCase{"**/b", "ab", false}, GlobCase{"**/b", "a/cb", false},
        GlobCase{"**/b", "/b", true}, GlobCase{"a/**/b", "a/b", true},
        GlobCase{"a/**/b", "a/x/y/b", true}, GlobCase{"a/**/b", "a/xb", false},
        GlobCase{"a/**/b", "ab", false},
        GlobCase{"**/*.map", "dist/x/app.js.map", true},
        GlobCase{"**/*.map", "app.js.map", true},
        GlobCase{"**/*.map", "app.js.map/x", false},
        GlobCase{"**/**/x", "x", true}, GlobCase{"**/**/x", "a/b/x", true},
        // `***` is `**` then `*`: no zero-folder form for the `/` after it.
        GlobCase{"***", "a/b", true}, GlobCase{"***/x", "a/b/x", true},
        GlobCase{"***/x", "x", false}));

// `[...]`: members, `a-z` ranges, `!`/`^` negation; `]` first is a member;
// `-` last is a member; never a separator; unterminated means a literal `[`.
INSTANTIATE_TEST_SUITE_P(
    GlobClasses, GlobMatch,
    ::testing::Values(
        GlobCase{"[abc]", "b", true}, GlobCase{"[abc]", "d", false},
        GlobCase{"[abc]", "", false}, GlobCase{"[abc]", "ab", false},
        GlobCase{"[a-c]x", "bx", true}, GlobCase{"[a-c]", "c", true},
        GlobCase{"[a-c]", "d", false}, GlobCase{"[a-cx-z]", "y", true},
        GlobCase{"[a-cx-z]", "m", false}, GlobCase{"[!a]", "b", true},
        GlobCase{"[!a]", "a", false}, GlobCase{"[^a]", "b", true},
        GlobCase{"[^a]", "a", false}, GlobCase{"[]]", "]", true},
        GlobCase{"[]a]", "a", true}, GlobCase{"[!]]", "a", true},
        GlobCase{"[!]]", "]", false}, GlobCase{"[a-]", "-", true},
        GlobCase{"[a-]", "b", false}, GlobCase{"[]-a]", "_", true},
        GlobCase{"[]-a]", "b", false}, GlobCase{"[z-a]", "m", false},
        GlobCase{"[z-a]", "z", false}, GlobCase{"[--0]", ".", true},
        GlobCase{"[/]", "/", false}, GlobCase{"[--0]", "/", false},
        GlobCase{"[!a]", "/", false}, GlobCase{"a[!x]b", "a/b", false},
        // No escapes inside a class: `\` is a member, the `]` closes.
        GlobCase{"[\\]]", "\\]", true}, GlobCase{"[\\]]", "]", false},
        // Unterminated: a literal `[`, the rest matched as usual.
        GlobCase{"[abc", "[abc", true}, GlobCase{"[abc", "a", false},
        GlobCase{"[", "[", true}, GlobCase{"[!", "[!", true},
        GlobCase{"[]", "[]", true}, GlobCase{"[]", "]", false},
        GlobCase{"[*", "[x", true}, GlobCase{"[*", "[x/", false},
        GlobCase{"[\xc3]\xa9", "\xc3\xa9", true}));

TEST(GlobClass, RangesCompareBytesAsChar) {
  // Range ends compare as `char`: where it is signed, bytes >= 0x80 sort
  // before ASCII, so a range from `a` up to 0xff is empty.
  constexpr bool is_signed = std::is_signed_v<char>;
  EXPECT_EQ(glob_match("[a-\xff]", "b"), !is_signed);
  EXPECT_EQ(glob_match("[\x80-\xff]", "\xc3"), true);
  EXPECT_EQ(glob_match("[\x01-\xff]", "\x80"), !is_signed);
}

INSTANTIATE_TEST_SUITE_P(
    GlobEscapes, GlobMatch,
    ::testing::Values(GlobCase{"\\*", "*", true}, GlobCase{"\\*", "a", false},
                      GlobCase{"\\?", "?", true}, GlobCase{"\\?", "a", false},
                      GlobCase{"\\[a]", "[a]", true},
                      GlobCase{"\\[a]", "a", false},
                      GlobCase{"\\\\", "\\", true}, GlobCase{"\\a", "a", true},
                      GlobCase{"\\a", "\\a", false},
                      // A trailing backslash is itself.
                      GlobCase{"a\\", "a\\", true}, GlobCase{"a\\", "a", false},
                      GlobCase{"*\\*", "ab*", true},
                      GlobCase{"*\\*", "ab", false}));

// Patterns whose naive backtracking takes time exponential in the number of
// stars: with a text of a few hundred bytes the old matcher would not finish
// in the lifetime of the machine. The test passes by terminating, and the
// step count shows the cost stays within the documented bound.
INSTANTIATE_TEST_SUITE_P(
    GlobPathological, GlobMatch,
    ::testing::Values(
        GlobCase{"*a*a*a*a*a*a*a*a*a*a*b",
                 std::string_view("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                 false},
        GlobCase{"*a*a*a*a*a*a*a*a*a*a*b",
                 std::string_view("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab"),
                 true}));

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) {
    out += unit;
  }
  return out;
}

struct CostCase {
  std::string pattern;
  std::string text;
  bool matches;
};

void PrintTo(const CostCase &c, std::ostream *os) {
  *os << "glob '" << c.pattern << "' on " << c.text.size() << " bytes";
}

class GlobCost : public ::testing::TestWithParam<CostCase> {};

TEST_P(GlobCost, StaysWithinTheBound) {
  const CostCase &c = GetParam();
  std::size_t steps = 0;
  EXPECT_EQ(detail::glob_match_counted(c.pattern, c.text, steps), c.matches);
  EXPECT_LE(steps, 1 + c.pattern.size() * (c.text.size() + 1));
  EXPECT_EQ(glob_match(c.pattern, c.text), c.matches);
}

INSTANTIATE_TEST_SUITE_P(
    GlobPathological, GlobCost,
    ::testing::Values(
        CostCase{repeat("*a", 12) + "*b", repeat("a", 2000), false},
        CostCase{repeat("*a", 12) + "*b", repeat("a", 2000) + "b", true},
        CostCase{repeat("*a", 12) + "*/x", repeat("a", 2000) + "/y", false},
        CostCase{repeat("**a", 12) + "**b", repeat("a/", 1000), false},
        CostCase{repeat("**a", 12) + "**b", repeat("a/", 1000) + "b", true},
        CostCase{repeat("**/", 12) + "b", repeat("a/", 1000), false},
        CostCase{repeat("**/", 12) + "b", repeat("a/", 1000) + "b", true},
        CostCase{repeat("*?", 12) + "b", repeat("a", 2000), false},
        CostCase{repeat("*[a]", 12) + "*b", repeat("a", 2000), false},
        CostCase{repeat("*", 200) + "b", repeat("a", 2000), false},
        CostCase{repeat("**", 200) + "b", repeat("a/", 1000) + "b", true}));

TEST(GlobCost, OneStepWithoutStars) {
  // No star, no backtracking: one pass over the pattern.
  std::size_t steps = 0;
  EXPECT_TRUE(detail::glob_match_counted("a?c[d-f]\\*", "abce*", steps));
  EXPECT_EQ(steps, 1u);
  EXPECT_FALSE(detail::glob_match_counted("a?c", "xyz", steps));
  EXPECT_EQ(steps, 1u);
}

TEST(GlobCost, EachStarTriesEachPositionOnce) {
  // `*` against n bytes tries the rest of the pattern at each of the n + 1
  // places the star can end: one step each, plus the first.
  std::size_t steps = 0;
  EXPECT_FALSE(detail::glob_match_counted("*x", "aaaa", steps));
  EXPECT_EQ(steps, 1u + 5u);
  // Two stars: the second is entered from each place the first ends, but
  // tries each of its own ends only once overall.
  EXPECT_FALSE(detail::glob_match_counted("*a*x", "aaaa", steps));
  EXPECT_EQ(steps, 1u + 5u + 4u);
}

TEST(GlobIgnorePattern, WithoutSlashMatchesTheNameAtAnyDepth) {
  IgnorePattern pattern("*.map");
  EXPECT_TRUE(pattern.matches("app.js.map", false));
  EXPECT_TRUE(pattern.matches("dist/assets/app.js.map", false));
  EXPECT_TRUE(pattern.matches("dist/x.map", true));
  EXPECT_FALSE(pattern.matches("dist/app.js", false));
  EXPECT_FALSE(pattern.matches("x.map/app.js", false));
}

TEST(GlobIgnorePattern, WithSlashMatchesTheWholeRelativePath) {
  IgnorePattern pattern("dist/*.map");
  EXPECT_TRUE(pattern.matches("dist/a.map", false));
  EXPECT_FALSE(pattern.matches("x/dist/a.map", false));
  EXPECT_FALSE(pattern.matches("a.map", false));

  IgnorePattern leading("/a.js");
  EXPECT_TRUE(leading.matches("a.js", false));
  EXPECT_FALSE(leading.matches("sub/a.js", false));

  IgnorePattern deep("**/vendor");
  EXPECT_TRUE(deep.matches("vendor", true));
  EXPECT_TRUE(deep.matches("a/b/vendor", true));
  EXPECT_FALSE(deep.matches("a/vendors", true));
}

TEST(GlobIgnorePattern, TrailingSlashOnlyMatchesFolders) {
  IgnorePattern pattern("build/");
  EXPECT_TRUE(pattern.matches("build", true));
  EXPECT_TRUE(pattern.matches("x/build", true));
  EXPECT_FALSE(pattern.matches("build", false));

  // The trailing slash does not make it anchored; another one does.
  IgnorePattern nested("a/b/");
  EXPECT_TRUE(nested.matches("a/b", true));
  EXPECT_FALSE(nested.matches("a/b", false));
  EXPECT_FALSE(nested.matches("x/a/b", true));
}

TEST(GlobIgnoreFileRules, SkipsBlankLinesAndComments) {
  IgnoreFileRules rules;
  rules.add_line("");
  rules.add_line("# a comment");
  rules.add_line("   ");
  rules.add_line("\r");
  rules.add_line("!");
  EXPECT_TRUE(rules.empty());
  EXPECT_EQ(rules.match("anything", false), IgnoreFileRules::Verdict::none);
}

TEST(GlobIgnoreFileRules, LastMatchingLineDecides) {
  IgnoreFileRules rules;
  rules.add_line("*.js");
  rules.add_line("!keep.js");
  rules.add_line("vendor/");
  EXPECT_FALSE(rules.empty());
  EXPECT_EQ(rules.match("a.js", false), IgnoreFileRules::Verdict::exclude);
  EXPECT_EQ(rules.match("sub/keep.js", false),
            IgnoreFileRules::Verdict::include);
  EXPECT_EQ(rules.match("vendor", true), IgnoreFileRules::Verdict::exclude);
  EXPECT_EQ(rules.match("vendor", false), IgnoreFileRules::Verdict::none);
  EXPECT_EQ(rules.match("a.css", false), IgnoreFileRules::Verdict::none);

  rules.add_line("keep.js");
  EXPECT_EQ(rules.match("keep.js", false), IgnoreFileRules::Verdict::exclude);
}

TEST(GlobIgnoreFileRules, EscapesAndTrailingWhitespace) {
  IgnoreFileRules rules;
  rules.add_line("\\#hash");
  rules.add_line("\\!bang");
  rules.add_line("spaced.js   ");
  rules.add_line("crlf.js\r");
  rules.add_line("kept\\ ");
  EXPECT_EQ(rules.match("#hash", false), IgnoreFileRules::Verdict::exclude);
  EXPECT_EQ(rules.match("!bang", false), IgnoreFileRules::Verdict::exclude);
  EXPECT_EQ(rules.match("spaced.js", false), IgnoreFileRules::Verdict::exclude);
  EXPECT_EQ(rules.match("crlf.js", false), IgnoreFileRules::Verdict::exclude);
  // An escaped trailing space stays, and the escape matches it.
  EXPECT_EQ(rules.match("kept ", false), IgnoreFileRules::Verdict::exclude);
  EXPECT_EQ(rules.match("kept", false), IgnoreFileRules::Verdict::none);
}

} // namespace
