#include "uploader/resolve/in_app.hpp"

#include <gtest/gtest.h>

using uploader::resolve::in_app_by_path;
using uploader::resolve::map_url_for_frame;
using uploader::resolve::sentry_abs_path;
using uploader::resolve::sentry_filename;
using uploader::resolve::symbolicated_in_app;

namespace {

constexpr const char *k_page = "https://shop.example.com/assets/index.js";
constexpr const char *k_map = "~/assets/index.js.map";

} // namespace

TEST(ResolveInApp, WebpackPathsAreInAppOnlyWhenDotSlashAndNoNodeModules) {
  EXPECT_EQ(in_app_by_path("webpack:///./src/a.js", "./src/a.js"), true);
  EXPECT_EQ(in_app_by_path("webpack:///src/a.js", "src/a.js"), false);
  EXPECT_EQ(in_app_by_path("webpack:///./node_modules/x/a.js",
                           "./node_modules/x/a.js"),
            false);
  EXPECT_EQ(in_app_by_path("webpack:///../node_modules/x/a.js",
                           "../node_modules/x/a.js"),
            false);
}

TEST(ResolveInApp, AppPathsAreInAppUnlessNodeModulesAtAWordBoundary) {
  EXPECT_EQ(in_app_by_path("app:///src/a.js", "src/a.js"), true);
  EXPECT_EQ(in_app_by_path("app:///node_modules/x/a.js", "node_modules/x/a.js"),
            false);
  EXPECT_EQ(
      in_app_by_path("app:///lib/node_modules/x.js", "lib/node_modules/x.js"),
      false);
  // `my_node_modules/` has no word boundary before `node_modules`.
  EXPECT_EQ(
      in_app_by_path("app:///my_node_modules/x.js", "my_node_modules/x.js"),
      true);
}

TEST(ResolveInApp, OtherPathsWithNodeModulesAreNotInApp) {
  EXPECT_EQ(in_app_by_path("https://host/assets/node_modules/react/index.js",
                           "node_modules/react/index.js"),
            false);
  // A leading `node_modules/` alone is not `/node_modules/` in abs_path.
  EXPECT_EQ(in_app_by_path("node_modules/react/index.js",
                           "node_modules/react/index.js"),
            std::nullopt);
}

TEST(ResolveInApp, OtherPathsKeepTheSdksFlag) {
  EXPECT_EQ(in_app_by_path("https://host/src/checkout.js", "src/checkout.js"),
            std::nullopt);
  EXPECT_EQ(in_app_by_path("/home/me/src/a.js", "/home/me/src/a.js"),
            std::nullopt);
}

TEST(ResolveInApp, WebpackFilenamesLoseSchemeAndNamespace) {
  EXPECT_EQ(sentry_filename("webpack://my-app/./src/a.js"), "./src/a.js");
  EXPECT_EQ(sentry_filename("webpack:///./src/a.js"), "./src/a.js");
  EXPECT_EQ(sentry_filename("webpack:///src/a.js"), "src/a.js");
  EXPECT_EQ(sentry_filename("webpack:///~/react/index.js"), "~/react/index.js");
  EXPECT_EQ(sentry_filename("webpack://my-app/src/a.js"),
            "webpack://my-app/src/a.js");
  EXPECT_EQ(sentry_filename("../../src/a.js"), "../../src/a.js");
  EXPECT_EQ(sentry_filename("node_modules/x.js"), "node_modules/x.js");
}

TEST(ResolveInApp, SourcesAreJoinedOntoTheMapUrl) {
  const char *map = "https://host/assets/index.js.map";
  EXPECT_EQ(sentry_abs_path(map, "node_modules/react-dom/cjs/x.js"),
            "https://host/assets/node_modules/react-dom/cjs/x.js");
  EXPECT_EQ(sentry_abs_path(map, "../src/a.js"), "https://host/src/a.js");
  EXPECT_EQ(sentry_abs_path(map, "./src/./a.js"),
            "https://host/assets/src/a.js");
  EXPECT_EQ(sentry_abs_path(map, "../../../src/a.js"), "https://host/src/a.js");
  EXPECT_EQ(sentry_abs_path(map, "/src/a.js"), "https://host/src/a.js");
  EXPECT_EQ(sentry_abs_path(map, "~/src/a.js"), "https://host/src/a.js");
  EXPECT_EQ(sentry_abs_path(map, "webpack:///./a.js"), "webpack:///./a.js");
  EXPECT_EQ(sentry_abs_path(map, "https://cdn/a.js"), "https://cdn/a.js");
  EXPECT_EQ(sentry_abs_path("app:///index.js.map", "src/a.js"),
            "app:///src/a.js");
  EXPECT_EQ(sentry_abs_path("~/assets/index.js.map", "node_modules/x.js"),
            "/assets/node_modules/x.js");
  EXPECT_EQ(sentry_abs_path("index.js.map", "node_modules/x.js"),
            "/node_modules/x.js");
}

TEST(ResolveInApp, ArtifactMapUrlsTakeTheFramesOrigin) {
  EXPECT_EQ(map_url_for_frame(k_page, k_map),
            "https://shop.example.com/assets/index.js.map");
  EXPECT_EQ(map_url_for_frame("app:///index.js", "~/index.js.map"),
            "app:///index.js.map");
  EXPECT_EQ(map_url_for_frame("/assets/index.js", k_map), k_map);
  EXPECT_EQ(map_url_for_frame(k_page, "https://cdn/x.js.map"),
            "https://cdn/x.js.map");
}

TEST(ResolveInApp, ProjectRelativeDependencyIsNotInAppWhateverTheSdkSaid) {
  const char *react = "node_modules/react-dom/cjs/react-dom.production.min.js";
  EXPECT_EQ(symbolicated_in_app(k_page, k_map, react, true), false);
  EXPECT_EQ(symbolicated_in_app(k_page, k_map, react, std::nullopt), false);
  EXPECT_EQ(
      symbolicated_in_app("app:///index.js", "~/index.js.map", react, true),
      false);
}

TEST(ResolveInApp, AppSourceKeepsTheSdksFlag) {
  EXPECT_EQ(symbolicated_in_app(k_page, k_map, "src/checkout.js", true), true);
  EXPECT_EQ(symbolicated_in_app(k_page, k_map, "src/checkout.js", false),
            false);
  EXPECT_EQ(symbolicated_in_app(k_page, k_map, "src/checkout.js", std::nullopt),
            std::nullopt);
}

TEST(ResolveInApp, WebpackAndAppSourcesDecideThemselves) {
  EXPECT_EQ(
      symbolicated_in_app(k_page, k_map, "webpack://shop/./src/a.js", false),
      true);
  EXPECT_EQ(symbolicated_in_app(k_page, k_map, "webpack:///src/a.js", true),
            false);
  EXPECT_EQ(symbolicated_in_app("app:///index.js", "~/index.js.map", "src/a.js",
                                false),
            true);
}
