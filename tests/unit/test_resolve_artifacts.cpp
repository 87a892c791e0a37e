#include "uploader/resolve/artifacts.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

using uploader::resolve::ArtifactSet;
using uploader::resolve::FoundBy;

namespace {

const char *k_map = R"({"version":3,"sources":["src/app.ts"],)"
                    R"("sourcesContent":["let a = 1;\nthrow a;\n"],)"
                    R"("names":[],"mappings":"AAAA,IACA"})";

ArtifactSet bundle_with(std::optional<std::string> release) {
  uploader::bundle::ReadBundle bundle;
  bundle.attributes.release = std::move(release);
  uploader::bundle::BundleFile js;
  js.info.url = "~/assets/app-1a2b3c.js";
  js.info.headers = {{"debug-id", "7B0A1C2D-0000-5000-8000-00000000AAAA"},
                     {"sourcemap", "app-1a2b3c.js.map"}};
  js.contents = "let a=1;throw a;";
  uploader::bundle::BundleFile map;
  map.info.url = "~/assets/app-1a2b3c.js.map";
  map.info.type = uploader::bundle::SourceFileType::source_map;
  map.contents = k_map;
  bundle.files = {js, map};
  ArtifactSet set;
  set.add_bundle(std::move(bundle), "b.bundle");
  return set;
}

} // namespace

TEST(ResolveArtifacts, TildeUrlStripsSchemeHostQueryAndFragment) {
  EXPECT_EQ(ArtifactSet::tilde_url("https://example.com/assets/a.js?v=2#x"),
            "~/assets/a.js");
  EXPECT_EQ(ArtifactSet::tilde_url("app:///main.js"), "~/main.js");
  EXPECT_EQ(ArtifactSet::tilde_url("assets/a.js"), "assets/a.js");
  EXPECT_EQ(ArtifactSet::tilde_url("http://host"), "~/");
}

TEST(ResolveArtifacts, FramesFindMapsByDebugIdThenByUrlAndRelease) {
  ArtifactSet set = bundle_with("web@1");
  std::string why;
  auto by_id = set.map_for_frame("7b0a1c2d00005000800000000000aaaa",
                                 "https://x.test/other.js", std::nullopt, why);
  ASSERT_TRUE(by_id) << why;
  EXPECT_EQ(by_id->found_by, FoundBy::debug_id);
  EXPECT_EQ(by_id->map_url, "~/assets/app-1a2b3c.js.map");
  EXPECT_EQ(by_id->index->lookup(1, 10, 0)->line, 2u);

  auto by_url =
      set.map_for_frame(std::nullopt, "https://x.test/assets/app-1a2b3c.js",
                        std::string("web@1"), why);
  ASSERT_TRUE(by_url) << why;
  EXPECT_EQ(by_url->found_by, FoundBy::url);

  EXPECT_FALSE(set.map_for_frame(std::nullopt,
                                 "https://x.test/assets/app-1a2b3c.js",
                                 std::string("web@2"), why));
  EXPECT_EQ(why, "the file ~/assets/app-1a2b3c.js is in b.bundle for release "
                 "web@1, not web@2");
  EXPECT_FALSE(set.map_for_frame(std::nullopt, "https://x.test/none.js",
                                 std::nullopt, why));
  EXPECT_EQ(why, "no file ~/none.js (the event names no debug id for it)");
}

TEST(ResolveArtifacts, FilesAreMatchedByUniqueUrlSuffix) {
  ArtifactSet set = bundle_with(std::nullopt);
  EXPECT_EQ(set.map_for_file("app-1a2b3c.js").js_url, "~/assets/app-1a2b3c.js");
  EXPECT_EQ(set.map_for_file("./assets/app-1a2b3c.js").found_by, FoundBy::url);
  EXPECT_EQ(set.map_for_file("app-1a2b3c.js.map").found_by, FoundBy::map_file);
  EXPECT_THROW(set.map_for_file("p-1a2b3c.js"), uploader::UsageError);
}
