#include "uploader/bundle/manifest.hpp"

#include <gtest/gtest.h>

using namespace uploader::bundle;

TEST(BundleManifest, BundlePathsFollowSentryCli) {
  EXPECT_EQ(bundle_path_for_url("~/dist/js/bundle.js.map"),
            "_/_/dist/js/bundle.js.map");
  EXPECT_EQ(bundle_path_for_url("~/#foo/babel.config.js"),
            "_/_/#foo/babel.config.js");
  EXPECT_EQ(bundle_path_for_url("https://cdn.example.com/a/b.js"),
            "https/cdn.example.com/a/b.js");
  EXPECT_EQ(bundle_path_for_url("app:///main.js"), "app/_/main.js");
}

TEST(BundleManifest, SerialisesCompactSortedWithLowercaseHeaders) {
  std::vector<ManifestFile> files{
      {"files/_/_/main.js.map",
       "~/main.js.map",
       SourceFileType::source_map,
       {{"debug-id", "ce0ad224-152a-59d0-9082-7209001ff0c9"}}},
      {"files/_/_/main.js",
       "~/main.js",
       SourceFileType::minified_source,
       {{"sourcemap", "main.js.map"},
        {"debug-id", "ce0ad224-152a-59d0-9082-7209001ff0c9"}}},
  };
  ManifestAttributes attributes{"0d2b4a5e-1d9f-5c5e-8d41-3a3d9e7c1f00",
                                "my-org",
                                "my-project",
                                "my-app@1.2.3",
                                "web",
                                std::nullopt};
  EXPECT_EQ(
      manifest_json(files, attributes),
      R"({"debug_id":"0d2b4a5e-1d9f-5c5e-8d41-3a3d9e7c1f00","dist":"web",)"
      R"("files":{"files/_/_/main.js":{"headers":{"debug-id":"ce0ad224-152a-59d0-9082-7209001ff0c9",)"
      R"("sourcemap":"main.js.map"},"type":"minified_source","url":"~/main.js"},)"
      R"("files/_/_/main.js.map":{"headers":{"debug-id":"ce0ad224-152a-59d0-9082-7209001ff0c9"},)"
      R"("type":"source_map","url":"~/main.js.map"}},"org":"my-org","project":"my-project",)"
      R"("release":"my-app@1.2.3"})");
}
