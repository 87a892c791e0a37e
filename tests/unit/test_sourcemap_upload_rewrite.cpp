#include "uploader/sourcemap/flatten.hpp"
#include "uploader/sourcemap/json.hpp"
#include "uploader/sourcemap/mappings.hpp"
#include "uploader/sourcemap/source_map.hpp"
#include "uploader/sourcemap/source_paths.hpp"
#include "uploader/sourcemap/upload_rewrite.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace uploader::sourcemap;
namespace fs = std::filesystem;

namespace {

// The build writes maps to /p/build/dist/assets; the app's sources are in
// /p/app, its dependencies in the monorepo's /p/node_modules.
const SourcePathContext k_context{"/p/build/dist/assets", "/p/app"};

SourcePlace place(std::string_view source) {
  return place_source(source, k_context);
}

std::vector<std::string> decoded_sources(const ParsedMap &map) {
  std::vector<std::string> out;
  for (const auto &source : map.sources) {
    out.push_back(source.decode());
  }
  return out;
}

std::vector<Token> tokens_of(const ParsedMap &map) {
  MappingsDecoder decoder(map.mappings.raw,
                          static_cast<std::uint32_t>(map.sources.size()),
                          static_cast<std::uint32_t>(map.names.size()));
  std::vector<Token> all;
  std::vector<Token> line;
  while (decoder.next_line(line)) {
    all.insert(all.end(), line.begin(), line.end());
  }
  return all;
}

UploadRewriteOptions
options_with_files(const std::map<std::string, std::string> &files) {
  UploadRewriteOptions options;
  options.paths = k_context;
  options.read_source =
      [files](const fs::path &file) -> std::optional<std::string> {
    auto it = files.find(file.generic_string());
    return it == files.end() ? std::nullopt : std::optional(it->second);
  };
  return options;
}

} // namespace

TEST(SourcePaths, RelativeSourcesResolveAgainstTheMapsFolder) {
  SourcePlace app = place("../../../app/src/checkout.js");
  EXPECT_EQ(app.name, "src/checkout.js");
  EXPECT_EQ(app.file, fs::path("/p/app/src/checkout.js"));
  EXPECT_EQ(place("./../../../app/src/./lib/../a.js").name, "src/a.js");
}

TEST(SourcePaths, SourcesOutsideTheRootLoseTheirLeadingDotDots) {
  SourcePlace dependency = place("../../../node_modules/react/index.js");
  EXPECT_EQ(dependency.name, "node_modules/react/index.js");
  EXPECT_EQ(dependency.file, fs::path("/p/node_modules/react/index.js"));
  EXPECT_EQ(place("/usr/lib/node/x.js").name, "usr/lib/node/x.js");
  EXPECT_EQ(place("/p/app/src/a.js").name, "src/a.js");
  EXPECT_EQ(place("../x.js").name, "build/dist/x.js");
}

TEST(SourcePaths, BundlerSchemesLoseTheirNamespace) {
  SourcePlace webpack = place("webpack://my-app/./src/index.js");
  EXPECT_EQ(webpack.name, "src/index.js");
  EXPECT_EQ(webpack.file, fs::path("/p/app/src/index.js"));
  EXPECT_EQ(place("webpack:///./src/index.js").name, "src/index.js");
  EXPECT_EQ(place("webpack:///webpack/bootstrap").name, "webpack/bootstrap");
  EXPECT_EQ(place("turbopack://[project]/src/page.tsx").name, "src/page.tsx");
  EXPECT_EQ(place("vite://app/../src/x.ts").name, "src/x.ts");
  SourcePlace query = place("webpack://app/./src/x.vue?5b2f");
  EXPECT_EQ(query.name, "src/x.vue?5b2f");
  EXPECT_EQ(query.file, fs::path("/p/app/src/x.vue"));
  SourcePlace bare = place("webpack://app");
  EXPECT_EQ(bare.name, "webpack://app") << "nothing to name it by";
  EXPECT_FALSE(bare.file);
}

TEST(SourcePaths, FileUrlsBecomePaths) {
  SourcePlace file = place("file:///p/app/src/a%20b.js");
  EXPECT_EQ(file.name, "src/a b.js");
  EXPECT_EQ(file.file, fs::path("/p/app/src/a b.js"));
  EXPECT_EQ(place("file://localhost/p/app/x.js").name, "x.js");
  EXPECT_EQ(place("FILE:///p/app/x.js").name, "x.js");
}

TEST(SourcePaths, WebUrlsAndEmptySourcesStay) {
  SourcePlace web = place("https://cdn.example.com/lib.js");
  EXPECT_EQ(web.name, "https://cdn.example.com/lib.js");
  EXPECT_FALSE(web.file);
  EXPECT_EQ(place("").name, "");
  EXPECT_FALSE(place("").file);
}

TEST(SourcePaths, WindowsPathsUseForwardSlashes) {
  EXPECT_EQ(place("C:\\proj\\src\\x.js").name, "proj/src/x.js");
  EXPECT_EQ(place("file:///C:/proj/x.js").name, "proj/x.js");
}

TEST(SourcePaths, JoinsTheSourceRootAsTheSpecificationSays) {
  EXPECT_EQ(join_source_root("", "a.js"), "a.js");
  EXPECT_EQ(join_source_root("src", "a.js"), "src/a.js");
  EXPECT_EQ(join_source_root("src/", "a.js"), "src/a.js");
  EXPECT_EQ(join_source_root("webpack:///", "./a.js"), "webpack:///./a.js");
}

TEST(FlattenIndexMap, AddsOffsetsAndMergesSourcesAndNames) {
  // Section 1 starts at column 10 of line 0: its first line moves right,
  // its second does not. Both sections use shared.js.
  std::string text =
      R"({"version":3,"file":"out.js","debugId":)"
      R"("00000000-0000-0000-0000-0000000000aa","sections":[)"
      R"({"offset":{"line":0,"column":0},"map":{"version":3,)"
      R"("sources":["a.js","shared.js"],"sourcesContent":["A",null],)"
      R"("names":[],"mappings":"AAAA,EAAE,CCAA"}},)"
      R"({"offset":{"line":0,"column":10},"map":{"version":3,)"
      R"("sourceRoot":"lib","sources":["shared.js","b.js"],)"
      R"("sourcesContent":["S","B"],"names":["x"],)"
      R"("mappings":"AAAAA;ACCA","ignoreList":[0]}}]})";
  ParsedMap index = parse_source_map(text);
  ParsedMap flat = flatten_index_map(index);
  EXPECT_EQ(flat.kind, ParsedMap::Kind::regular);
  EXPECT_EQ(decoded_sources(flat),
            (std::vector<std::string>{"a.js", "shared.js", "lib/shared.js",
                                      "lib/b.js"}));
  ASSERT_EQ(flat.sources_content.size(), 4u);
  EXPECT_EQ(flat.sources_content[0]->decode(), "A");
  EXPECT_FALSE(flat.sources_content[1]);
  EXPECT_EQ(flat.sources_content[3]->decode(), "B");
  EXPECT_EQ(flat.ignore_list, std::vector<std::uint32_t>{2});
  EXPECT_EQ(flat.debug_id->to_string(), "00000000-0000-0000-0000-0000000000aa");
  EXPECT_EQ(flat.file->decode(), "out.js");
  std::vector<Token> tokens = tokens_of(flat);
  std::vector<Token> expected = {{0, 0, 0, 0, 0, k_no_value},
                                 {0, 2, 0, 2, 0, k_no_value},
                                 {0, 3, 0, 2, 1, k_no_value},
                                 {0, 10, 0, 0, 2, 0},
                                 {1, 0, 1, 0, 3, k_no_value}};
  EXPECT_EQ(tokens, expected);
}

TEST(FlattenIndexMap, DropsTokensThatRunIntoTheNextSection) {
  std::string text =
      R"({"version":3,"sections":[)"
      R"({"offset":{"line":0,"column":0},"map":{"version":3,)"
      R"("sources":["a.js"],"names":[],"mappings":"AAAA,UAAU;AACA"}},)"
      R"({"offset":{"line":0,"column":5},"map":{"version":3,)"
      R"("sources":["b.js"],"names":[],"mappings":"AAAA"}}]})";
  ParsedMap index = parse_source_map(text);
  std::vector<Token> tokens = tokens_of(flatten_index_map(index));
  std::vector<Token> expected = {{0, 0, 0, 0, 0, k_no_value},
                                 {0, 5, 0, 0, 1, k_no_value}};
  EXPECT_EQ(tokens, expected) << "a.js's tokens at column 10 and on line 1 "
                                 "lie in b.js's section";
}

TEST(FlattenIndexMap, NestedIndexMapsAddBothOffsets) {
  std::string text =
      R"({"version":3,"sections":[{"offset":{"line":2,"column":0},"map":)"
      R"({"version":3,"sections":[{"offset":{"line":1,"column":4},"map":)"
      R"({"version":3,"sources":["n.js"],"names":[],"mappings":"AAAA"}}]}}]})";
  ParsedMap index = parse_source_map(text);
  std::vector<Token> tokens = tokens_of(flatten_index_map(index));
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].dst_line, 3u);
  EXPECT_EQ(tokens[0].dst_col, 4u);
}

TEST(FlattenIndexMap, RefusesSectionsThatOnlyNameAUrl) {
  std::string text = R"({"version":3,"sections":[{"offset":{"line":0,)"
                     R"("column":0},"url":"part.js.map"}]})";
  ParsedMap index = parse_source_map(text);
  try {
    flatten_index_map(index);
    FAIL() << "expected an error";
  } catch (const uploader::Error &error) {
    EXPECT_NE(std::string(error.what())
                  .find("section 0 names its map by URL "
                        "(part.js.map)"),
              std::string::npos)
        << error.what();
  }
}

TEST(UploadRewrite, LeavesAMapThatNeedsNothingAlone) {
  UploadRewriteOptions options = options_with_files({});
  std::string text = R"({"version":3,"sources":["src/a.js"],)"
                     R"("sourcesContent":["a"],"names":[],"mappings":"AAAA"})";
  options.paths.map_folder = "/p/app";
  EXPECT_EQ(rewrite_map_for_upload(text, options), std::nullopt);
}

TEST(UploadRewrite, RenamesSourcesAndCopiesEveryOtherMemberVerbatim) {
  std::string text =
      "{\n  \"version\": 3,\n  \"sources\": [\"../../../app/src/a.js\", "
      "\"../../../node_modules/dep/i.js\", null],\n"
      "  \"sourcesContent\": [\"a\", \"d\", null],\n"
      "  \"names\": [\"x\"],\n  \"mappings\": \"AAAAA,EACA\",\n"
      "  \"x_google_ignoreList\": [1],\n"
      "  \"debugId\": \"00000000-0000-0000-0000-0000000000bb\"\n}\n";
  auto out = rewrite_map_for_upload(text, options_with_files({}));
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "{\"version\": 3,\"sources\":[\"src/a.js\","
                  "\"node_modules/dep/i.js\",null],"
                  "\"sourcesContent\": [\"a\", \"d\", null],"
                  "\"names\": [\"x\"],\"mappings\": \"AAAAA,EACA\","
                  "\"x_google_ignoreList\": [1],"
                  "\"debugId\": \"00000000-0000-0000-0000-0000000000bb\"}");
}

TEST(UploadRewrite, FoldsTheSourceRootIntoTheSources) {
  std::string text = R"({"version":3,"sourceRoot":"../../../app/src/",)"
                     R"("sources":["a.js"],"sourcesContent":["a"],)"
                     R"("names":[],"mappings":"AAAA"})";
  auto out = rewrite_map_for_upload(text, options_with_files({}));
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, R"({"version":3,"sources":["src/a.js"],)"
                  R"("sourcesContent":["a"],"names":[],"mappings":"AAAA"})");
}

TEST(UploadRewrite, InlinesMissingSourceTextsFromTheMapsFolder) {
  auto options = options_with_files(
      {{"/p/app/src/a.js", "let a = \"1\";\n"}, {"/p/app/src/b.js", "b"}});
  std::string absent = R"({"version":3,"sources":["../../../app/src/a.js",)"
                       R"("../../../app/src/gone.js"],"names":[],)"
                       R"("mappings":"AAAA"})";
  auto out = rewrite_map_for_upload(absent, options);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, R"({"version":3,"sources":["src/a.js","src/gone.js"],)"
                  R"("sourcesContent":["let a = \"1\";\n",null],)"
                  R"("names":[],"mappings":"AAAA"})");

  std::string partial = R"({"version":3,"sources":["/p/app/src/a.js",)"
                        R"("/p/app/src/b.js"],)"
                        R"("sourcesContent":["kept",null],"names":[],)"
                        R"("mappings":"AAAA"})";
  out = rewrite_map_for_upload(partial, options);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, R"({"version":3,"sources":["src/a.js","src/b.js"],)"
                  R"("sourcesContent":["kept","b"],"names":[],)"
                  R"("mappings":"AAAA"})");
}

TEST(UploadRewrite, WithoutAReaderNothingIsInlined) {
  UploadRewriteOptions options;
  options.paths = {"/p/app", "/p/app"};
  std::string text = R"({"version":3,"sources":["a.js"],"names":[],)"
                     R"("mappings":"AAAA"})";
  EXPECT_EQ(rewrite_map_for_upload(text, options), std::nullopt);
}

TEST(UploadRewrite, DropsAByteOrderMark) {
  UploadRewriteOptions options;
  options.paths = {"/p/app", "/p/app"};
  std::string body = R"({"version":3,"sources":["a.js"],"names":[],)"
                     R"("mappings":"AAAA"})";
  auto out = rewrite_map_for_upload(std::string(k_utf8_bom) + body, options);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, body);
  EXPECT_TRUE(is_sourcemap(std::string(k_utf8_bom) + body));
}

TEST(UploadRewrite, StripPrefixesKeepSentryClisNamesWhenPathsAreKept) {
  UploadRewriteOptions options;
  options.paths = k_context;
  options.rewrite_paths = false;
  options.strip_prefixes = {"~", "/other"};
  std::string input = R"({"version":3,"sources":["/ci/app/src/a.ts",)"
                      R"("/ci/app/lib/b.ts","/other/c.ts"],"names":[],)"
                      R"("mappings":"AAAA"})";
  EXPECT_EQ(rewrite_map_for_upload(input, options),
            R"({"version":3,"sources":["/ci/app/src/a.ts","/ci/app/lib/b.ts",)"
            R"("c.ts"],"names":[],"mappings":"AAAA"})")
      << "no common prefix across /ci and /other";
  options.strip_prefixes = {"~"};
  std::string shared = R"({"version":3,"sources":["/ci/app/src/a.ts",)"
                       R"("/ci/app/lib/b.ts"],"names":[],"mappings":"AAAA"})";
  EXPECT_EQ(rewrite_map_for_upload(shared, options),
            R"({"version":3,"sources":["src/a.ts","lib/b.ts"],"names":[],)"
            R"("mappings":"AAAA"})");
  std::string relative = R"({"version":3,"sources":["../a.ts"],"names":[],)"
                         R"("mappings":"AAAA"})";
  EXPECT_EQ(rewrite_map_for_upload(relative, options), std::nullopt)
      << "paths kept and nothing stripped: the bytes go up as they are";
}

TEST(UploadRewrite, StrippedSourcesKeepTheStrippedName) {
  UploadRewriteOptions options;
  options.paths = k_context;
  options.strip_prefixes = {"/ci/app"};
  std::string text = R"({"version":3,"sources":["/ci/app/src/a.ts",)"
                     R"("/p/app/b.ts"],"names":[],"mappings":"AAAA"})";
  EXPECT_EQ(rewrite_map_for_upload(text, options),
            R"({"version":3,"sources":["src/a.ts","b.ts"],"names":[],)"
            R"("mappings":"AAAA"})");
}

TEST(UploadRewrite, FlattensIndexMapsAndNamesTheirSources) {
  auto options = options_with_files({{"/p/app/src/b.js", "b"}});
  std::string text =
      R"({"version":3,"debugId":"00000000-0000-0000-0000-0000000000cc",)"
      R"("sections":[{"offset":{"line":0,"column":0},"map":{"version":3,)"
      R"("sources":["../../../app/src/a.js"],"sourcesContent":["a"],)"
      R"("names":[],"mappings":"AAAA"}},{"offset":{"line":1,"column":0},)"
      R"("map":{"version":3,"sources":["../../../app/src/b.js"],)"
      R"("names":[],"mappings":"AAAA"}}]})";
  auto out = rewrite_map_for_upload(text, options);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, R"({"version":3,"sources":["src/a.js","src/b.js"],)"
                  R"("sourcesContent":["a","b"],"names":[],)"
                  R"("mappings":"AAAA;ACAA",)"
                  R"("debugId":"00000000-0000-0000-0000-0000000000cc"})");
}

TEST(UploadRewrite, MalformedMapsNameTheByteOffset) {
  UploadRewriteOptions options;
  options.paths = k_context;
  EXPECT_THROW(rewrite_map_for_upload(R"({"version":3,"sources":["a",)"
                                      R"("b"],"sources":[]})",
                                      options),
               JsonError);
  try {
    rewrite_map_for_upload(R"({"version":3,"sections":[{"offset":{}}]})",
                           options);
    FAIL() << "expected an error";
  } catch (const JsonError &error) {
    EXPECT_NE(std::string(error.what()).find("at byte"), std::string::npos)
        << error.what();
  }
}
