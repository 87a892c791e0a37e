#include "uploader/sourcemap/rewrite.hpp"
#include "uploader/sourcemap/source_map.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

using namespace uploader::sourcemap;

namespace {

std::string rewrite(std::string_view text, const MapWriteOptions &options) {
  ParsedMap map = parse_source_map(text);
  std::string out;
  write_source_map(map, options, out);
  return out;
}

} // namespace

TEST(SourcemapSourceMap, WritesRustSourcemapForm) {
  std::string input = R"({
    "mappings": "AAAA", "names": ["a", 1, 2.5, null],
    "sourcesContent": ["caf\u00e9 \/ \"q\" \u0001", null, "x"],
    "sourceRoot": "", "sources": ["a.js", null], "x_extra": {"k": [1]},
    "file": "out.js", "version": 3, "ignoreList": [1, 0, 1],
    "debug_id": "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE"
  })";
  EXPECT_EQ(rewrite(input, {}),
            R"({"version":3,"file":"out.js","sources":["a.js",""],)"
            R"("sourceRoot":"","sourcesContent":["café / \"q\" \u0001",null],)"
            R"("names":["a","1","2.5",""],"mappings":"AAAA",)"
            R"("ignoreList":[0,1],)"
            R"("debugId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"})");
}

TEST(SourcemapSourceMap, KeepsShortEscapesAndRewritesOthers) {
  // Short escapes are written as they came; `\/` and `\u` the serde way,
  // also when they follow short ones in the same string.
  std::string input = R"({"version":3,"sources":["a\tb"],)"
                      R"("sourcesContent":["x\n\"y\"\\\b\f\r"],)"
                      R"("names":["n\n\/\u0041"],"mappings":"AAAA"})";
  EXPECT_EQ(rewrite(input, {}), R"({"version":3,"sources":["a\tb"],)"
                                R"("sourcesContent":["x\n\"y\"\\\b\f\r"],)"
                                R"("names":["n\n/A"],"mappings":"AAAA"})");
}

TEST(SourcemapSourceMap, DropsEmptySourcesContentAndSetsDebugId) {
  MapWriteOptions options;
  options.debug_id = DebugId::parse("11111111-2222-3333-4444-555555555555");
  EXPECT_EQ(
      rewrite(R"({"version":3,"file":"f.js"})", options),
      R"({"version":3,"file":"f.js","sources":[],"names":[],)"
      R"("mappings":"","debugId":"11111111-2222-3333-4444-555555555555"})");
  EXPECT_EQ(
      rewrite(R"({"sources":["a"],"sourcesContent":[null],"mappings":""})", {}),
      R"({"version":3,"sources":["a"],"names":[],"mappings":""})");
}

TEST(SourcemapSourceMap, IndexMapsKeepNullSourcesAndShiftSections) {
  std::string input = R"({"version":3,"file":"i.js","sections":[)"
                      R"({"offset":{"line":4,"column":1},"url":"b.js"},)"
                      R"({"offset":{"line":0,"column":0},"map":{"version":3,)"
                      R"("sources":["a"],"names":[],"mappings":"AAAA"}}]})";
  MapWriteOptions options;
  options.section_line_shift = 1;
  EXPECT_EQ(rewrite(input, options),
            R"({"version":3,"file":"i.js","sources":null,"sections":[)"
            R"({"offset":{"line":1,"column":0},"url":null,"map":)"
            R"({"version":3,"sources":["a"],"names":[],"mappings":"AAAA"}},)"
            R"({"offset":{"line":5,"column":1},"url":"b.js","map":null}]})");
}

TEST(SourcemapSourceMap, ReportsMalformedJsonWithOffset) {
  try {
    parse_source_map(R"({"version":3,"sources":[1]})");
    FAIL() << "expected JsonError";
  } catch (const JsonError &error) {
    EXPECT_EQ(error.offset(), 24u);
  }
  EXPECT_THROW(parse_source_map(R"({"version":3,})"), JsonError);
  EXPECT_THROW(parse_source_map(R"({"version":"3"})"), JsonError);
  EXPECT_THROW(parse_source_map(R"({"version":3,"version":3})"), JsonError);
  EXPECT_THROW(parse_source_map(R"({"debugId":"nope"})"), JsonError);
}

TEST(SourcemapSourceMap, SniffsSourceMapsLikeSentryCli) {
  EXPECT_TRUE(is_sourcemap(R"({"version":3,"sources":[],"mappings":""})"));
  EXPECT_TRUE(is_sourcemap(")]}'\n{\"file\":1,\"names\":0,\"mappings\":0}"));
  EXPECT_TRUE(is_sourcemap(R"({"sections":[]})"));
  EXPECT_FALSE(is_sourcemap(R"({"version":3,"file":"index.js"})"));
  EXPECT_FALSE(is_sourcemap(R"({"version":3,"sources":null,"mappings":""})"));
  EXPECT_FALSE(is_sourcemap("var a = {};"));
  EXPECT_FALSE(is_sourcemap(R"({"version":3,"sources":[],"mappings":""} x)"));
}

TEST(SourcemapSourceMap, ParseGivesTheSniffVerdict) {
  // inject relies on this instead of sniffing every map before parsing it.
  const std::vector<std::string> texts = {
      R"({"version":3,"sources":[],"mappings":""})",
      R"({"file":"a","names":[],"mappings":""})",
      R"({"version":3,"sourceRoot":"","mappings":"AAAA"})",
      R"({"version":3,"sourcesContent":[null],"mappings":""})",
      R"({"sections":[]})",
      R"({"version":3,"sources":[],"sections":null,"mappings":""})",
      R"({"version":3,"file":"index.js"})",
      R"({"version":3,"sources":null,"mappings":""})",
      R"({"version":null,"sources":[],"mappings":""})",
      R"({"file":null,"sources":[],"mappings":""})",
      R"({"version":3,"sources":[],"mappings":null})",
      R"({"sources":[],"mappings":""})",
      ")]}'\n{\"version\":3,\"names\":[],\"mappings\":\"\"}",
      R"({})",
  };
  for (const std::string &text : texts) {
    ParsedMap map = parse_source_map(text);
    EXPECT_EQ(map.passes_is_sourcemap, is_sourcemap(text)) << text;
  }
}

TEST(SourcemapRewrite, CommonPrefixOfAbsoluteSources) {
  using V = std::vector<std::string>;
  EXPECT_EQ(common_source_prefix(
                V{"/ci/app/src/a.ts", "/ci/app/lib/b.ts", "webpack://x/c.ts"}),
            "/ci/app");
  EXPECT_EQ(common_source_prefix(V{"/ci/app/src/a.ts"}), "/ci/app/src/a.ts");
  EXPECT_EQ(common_source_prefix(V{"/ci/a.ts", "/home/b.ts"}), std::nullopt);
  EXPECT_EQ(common_source_prefix(V{"src/a.ts", "src/b.ts"}), std::nullopt);
  EXPECT_EQ(common_source_prefix(V{"C:\\app\\a.ts", "C:\\app\\b.ts"}),
            "C:\\app");
  EXPECT_EQ(common_source_prefix(V{}), std::nullopt);
}
