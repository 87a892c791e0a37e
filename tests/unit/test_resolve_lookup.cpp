#include "uploader/resolve/lookup.hpp"

#include <gtest/gtest.h>

using uploader::resolve::MapIndex;

namespace {

// Generated line 0: column 0 → a.js 0:0; column 10 → a.js 2:4 named "boom";
// generated line 1: column 2 → b.js 0:0 (no content).
const char *k_map =
    R"({"version":3,"sources":["a.js","b.js"],"sourceRoot":"src",)"
    R"("sourcesContent":["one\ntwo\nthree\nfour\n",null],"names":["boom"],)"
    R"("mappings":"AAAA,UAEIA;ECFJ"})";

} // namespace

TEST(ResolveLookup, FindsTheLastMappingAtOrBeforeThePosition) {
  MapIndex index(k_map);
  auto hit = index.lookup(1, 11, 1); // 1-based: line 0, column 10
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->source, "src/a.js");
  EXPECT_EQ(hit->line, 3u);
  EXPECT_EQ(hit->column, 5u);
  EXPECT_EQ(hit->name, "boom");
  EXPECT_EQ(hit->context_line, "three");
  EXPECT_EQ(hit->pre_context, std::vector<std::string>{"two"});
  EXPECT_EQ(hit->post_context, std::vector<std::string>{"four"});

  auto before = index.lookup(1, 5, 0); // between the two tokens
  ASSERT_TRUE(before);
  EXPECT_EQ(before->line, 1u);
  EXPECT_FALSE(before->name);
  EXPECT_TRUE(before->pre_context.empty());
}

TEST(ResolveLookup, ZeroCountsAsOneAndNoContentIsReported) {
  MapIndex index(k_map);
  EXPECT_EQ(index.lookup(0, 0, 0)->line, 1u);
  auto other = index.lookup(2, 3, 3);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->source, "src/b.js");
  EXPECT_FALSE(other->context_line);
  EXPECT_EQ(index.sources_without_content(), std::vector<std::string>{"b.js"});
}

TEST(ResolveLookup, IndexMapsUseTheCoveringSection) {
  std::string map =
      R"({"version":3,"sections":[)"
      R"({"offset":{"line":0,"column":0},"map":{"version":3,)"
      R"("sources":["first.js"],"names":[],"mappings":"AAAA"}},)"
      R"({"offset":{"line":0,"column":100},"map":{"version":3,)"
      R"("sources":["second.js"],"sourcesContent":["x\ny\n"],"names":[],)"
      R"("mappings":"AACA"}}]})";
  MapIndex index(map);
  EXPECT_EQ(index.lookup(1, 50, 0)->source, "first.js");
  auto second = index.lookup(1, 101, 0);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->source, "second.js");
  EXPECT_EQ(second->line, 2u);
  EXPECT_EQ(second->context_line, "y");
  EXPECT_EQ(index.sources_without_content(),
            std::vector<std::string>{"first.js"});
}

TEST(ResolveLookup, MalformedMapsThrow) {
  EXPECT_THROW(MapIndex("{"), uploader::Error);
  EXPECT_THROW(MapIndex(R"({"version":3,"sources":[],"names":[],)"
                        R"("mappings":"AAAA"})"),
               uploader::Error);
}
