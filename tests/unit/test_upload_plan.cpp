// plan_upload and artifact_url: what goes into the bundle, under which URL
// and with which headers, decided from the files on disk.
#include "uploader/upload/plan.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_helpers.hpp"

namespace uploader::upload {
namespace {

namespace fs = std::filesystem;
using bundle::SourceFileType;

constexpr std::string_view k_id_a = "2297b93d-928d-421e-8910-127c786382da";
constexpr std::string_view k_id_b = "0b8e3a8c-5a4e-4f7a-9c1e-3b2f5e6d7a8b";

// A minimal source map (passes sentry-cli's is_sourcemap test).
std::string map_text(std::string_view extra = "") {
  std::string text = R"({"version":3,"sources":["a.ts"],"names":[],)"
                     R"("mappings":"AAAA")";
  if (!extra.empty()) {
    text += ",";
    text += extra;
  }
  return text + "}";
}

std::string debug_id_comment(std::string_view id) {
  return "//# debugId=" + std::string(id) + "\n";
}

class UploadPlanTest : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name =
        std::string(info->test_suite_name()) + "-" + info->name();
    std::ranges::replace(name, '/', '_');
    m_dir = fs::temp_directory_path() /
            ("ssm-plan-" + test_helpers::process_id() + "-" + name);
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(m_dir);
    }
  }

  fs::path write(const std::string &relative, std::string_view text) const {
    fs::path path = m_dir / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  PlanOptions options() const {
    PlanOptions options;
    options.roots = {m_dir.string()};
    return options;
  }

  // The planned file with this URL; fails the test when there is none.
  static const bundle::BundleInput *find(const UploadPlan &plan,
                                         std::string_view url) {
    for (const auto &file : plan.files) {
      if (file.url == url) {
        return &file;
      }
    }
    ADD_FAILURE() << "no planned file " << url;
    return nullptr;
  }

  static std::vector<std::string> urls(const UploadPlan &plan) {
    std::vector<std::string> out;
    for (const auto &file : plan.files) {
      out.push_back(file.url);
    }
    return out;
  }

  static bool any_warning_contains(const UploadPlan &plan,
                                   std::string_view needle) {
    return std::ranges::any_of(plan.warnings, [&](const std::string &w) {
      return w.find(needle) != std::string::npos;
    });
  }

  fs::path m_dir;
};

// ---------------------------------------------------------------------------
// artifact_url

struct UrlCase {
  std::string prefix;
  std::string relative;
  std::string expected;
};

class UploadPlanArtifactUrl : public ::testing::TestWithParam<UrlCase> {};

TEST_P(UploadPlanArtifactUrl, JoinsPrefixAndRelativePath) {
  const UrlCase &c = GetParam();
  EXPECT_EQ(artifact_url(c.prefix, c.relative), c.expected)
      << "prefix '" << c.prefix << "'";
}

INSTANTIATE_TEST_SUITE_P(
    UploadPlan, UploadPlanArtifactUrl,
    ::testing::Values(UrlCase{"~", "app.js", "~/app.js"},
                      UrlCase{"~/", "app.js", "~/app.js"},
                      UrlCase{"~", "js/chunks/1.js", "~/js/chunks/1.js"},
                      UrlCase{"~/static", "js/app.js", "~/static/js/app.js"},
                      UrlCase{"~/static/", "js/app.js", "~/static/js/app.js"},
                      UrlCase{"app:///", "app.js", "app:///app.js"},
                      UrlCase{"https://cdn.example.com/assets", "a.js",
                              "https://cdn.example.com/assets/a.js"},
                      UrlCase{"https://cdn.example.com/assets/", "a.js",
                              "https://cdn.example.com/assets/a.js"},
                      // Only one trailing '/' is dropped.
                      UrlCase{"~//", "a.js", "~//a.js"},
                      UrlCase{"", "a.js", "/a.js"}));

// ---------------------------------------------------------------------------
// URLs and classification

TEST_F(UploadPlanTest, UrlsUseTheDefaultTildePrefixAndRelativePaths) {
  write("app.js", "a();\n");
  write("js/chunks/1.js", "b();\n");
  UploadPlan plan = plan_upload(options());
  EXPECT_EQ(urls(plan),
            (std::vector<std::string>{"~/app.js", "~/js/chunks/1.js"}));
  ASSERT_EQ(plan.files.size(), 2u);
  EXPECT_EQ(plan.files[0].path, m_dir / "app.js");
  EXPECT_EQ(plan.files[1].path, m_dir / "js/chunks/1.js");
}

TEST_F(UploadPlanTest, UrlPrefixWithAndWithoutTrailingSlashGiveTheSameUrls) {
  write("js/app.js", "a();\n");
  for (std::string prefix : {"~/static", "~/static/"}) {
    PlanOptions opts = options();
    opts.url_prefix = prefix;
    EXPECT_EQ(urls(plan_upload(opts)),
              (std::vector<std::string>{"~/static/js/app.js"}))
        << prefix;
  }
}

TEST_F(UploadPlanTest, ClassifiesMapsByContentNotByName) {
  write("app.js", "a();\n");
  write("app.js.map", map_text());
  // A map under a JS name and one under another upload extension are
  // still maps; a `.bundle` that is not a map is a minified source.
  write("looks-like.js", map_text());
  write("main.bundle", map_text());
  write("other.bundle", "var x = 1;\n");
  UploadPlan plan = plan_upload(options());
  struct Expect {
    std::string url;
    SourceFileType type;
  };
  for (const Expect &e :
       {Expect{"~/app.js", SourceFileType::minified_source},
        Expect{"~/app.js.map", SourceFileType::source_map},
        Expect{"~/looks-like.js", SourceFileType::source_map},
        Expect{"~/main.bundle", SourceFileType::source_map},
        Expect{"~/other.bundle", SourceFileType::minified_source}}) {
    const auto *file = find(plan, e.url);
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(file->type, e.type) << e.url;
  }
  EXPECT_EQ(plan.source_count, 2u);
  std::vector<fs::path> maps;
  for (const auto &map : plan.maps) {
    maps.push_back(map.path);
    EXPECT_EQ(map.root, m_dir) << map.path;
  }
  EXPECT_EQ(maps, (std::vector<fs::path>{m_dir / "app.js.map",
                                         m_dir / "looks-like.js",
                                         m_dir / "main.bundle"}));
}

TEST_F(UploadPlanTest, ExplicitFileRootIsItsOwnRoot) {
  fs::path map = write("dist/app.js.map", map_text());
  PlanOptions opts;
  opts.roots = {map.string()};
  UploadPlan plan = plan_upload(opts);
  ASSERT_EQ(plan.maps.size(), 1u);
  EXPECT_EQ(plan.maps[0].path, map);
  EXPECT_EQ(plan.maps[0].root, map);
  EXPECT_EQ(urls(plan), (std::vector<std::string>{"~/app.js.map"}));
}

// ---------------------------------------------------------------------------
// Headers

TEST_F(UploadPlanTest, JsDebugIdCommentBecomesANormalisedHeader) {
  // sentry-cli also accepts the unhyphenated, uppercase form.
  write("app.js", "a();\n//# debugId=2297B93D928D421E8910127C786382DA\n");
  UploadPlan plan = plan_upload(options());
  const auto *js = find(plan, "~/app.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->headers, (std::map<std::string, std::string>{
                             {"debug-id", std::string(k_id_a)}}));
}

struct MapIdCase {
  std::string name;
  std::string fields; // extra members of the map
  std::optional<std::string> expected;
};

class UploadPlanMapDebugId : public UploadPlanTest,
                             public ::testing::WithParamInterface<MapIdCase> {};

TEST_P(UploadPlanMapDebugId, MapHeaderComesFromDebugIdThenDebugIdCamel) {
  write("app.js.map", map_text(GetParam().fields));
  UploadPlan plan = plan_upload(options());
  const auto *map = find(plan, "~/app.js.map");
  ASSERT_NE(map, nullptr);
  EXPECT_EQ(map->type, SourceFileType::source_map);
  if (GetParam().expected) {
    EXPECT_EQ(map->headers, (std::map<std::string, std::string>{
                                {"debug-id", *GetParam().expected}}));
  } else {
    EXPECT_TRUE(map->headers.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    UploadPlan, UploadPlanMapDebugId,
    ::testing::Values(
        MapIdCase{"snake",
                  R"("debug_id":"2297b93d-928d-421e-8910-127c786382da")",
                  std::string(k_id_a)},
        MapIdCase{"camel",
                  R"("debugId":"2297b93d-928d-421e-8910-127c786382da")",
                  std::string(k_id_a)},
        MapIdCase{"snake_wins_first",
                  R"("debug_id":"2297b93d-928d-421e-8910-127c786382da",)"
                  R"("debugId":"0b8e3a8c-5a4e-4f7a-9c1e-3b2f5e6d7a8b")",
                  std::string(k_id_a)},
        MapIdCase{"snake_wins_second",
                  R"("debugId":"0b8e3a8c-5a4e-4f7a-9c1e-3b2f5e6d7a8b",)"
                  R"("debug_id":"2297b93d-928d-421e-8910-127c786382da")",
                  std::string(k_id_a)},
        MapIdCase{"uppercase",
                  R"("debug_id":"2297B93D-928D-421E-8910-127C786382DA")",
                  std::string(k_id_a)},
        MapIdCase{"none", "", std::nullopt}),
    [](const auto &test) { return test.param.name; });

TEST_F(UploadPlanTest, SourcemapHeaderIsTheReferenceAsWritten) {
  write("js/app.js", "a();\n//# sourceMappingURL=../maps/app.js.map\n");
  write("maps/app.js.map", map_text());
  UploadPlan plan = plan_upload(options());
  const auto *js = find(plan, "~/js/app.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->headers, (std::map<std::string, std::string>{
                             {"sourcemap", "../maps/app.js.map"}}));
  const auto *map = find(plan, "~/maps/app.js.map");
  ASSERT_NE(map, nullptr);
  EXPECT_FALSE(map->headers.contains("sourcemap"));
  EXPECT_TRUE(plan.warnings.empty()) << plan.warnings.front();
}

TEST_F(UploadPlanTest, NoSourcemapHeadersStillLinksAndCounts) {
  write("app.js", "a();\n//# sourceMappingURL=app.js.map\n");
  write("app.js.map", map_text());
  PlanOptions opts = options();
  opts.sourcemap_headers = false;
  UploadPlan plan = plan_upload(opts);
  const auto *js = find(plan, "~/app.js");
  ASSERT_NE(js, nullptr);
  EXPECT_TRUE(js->headers.empty());
  EXPECT_EQ(plan.referencing_sources, 1u);
  ASSERT_EQ(plan.links.size(), 1u);
  EXPECT_EQ(plan.links[0].js, m_dir / "app.js");
  EXPECT_EQ(plan.links[0].map, m_dir / "app.js.map");
  EXPECT_TRUE(plan.links[0].explicit_reference);
}

struct IdRefCase {
  std::string name;
  bool option;
  bool js_has_id;
  std::optional<std::string> expected; // the JS file's debug-id header
};

class UploadPlanDebugIdReference
    : public UploadPlanTest,
      public ::testing::WithParamInterface<IdRefCase> {};

TEST_P(UploadPlanDebugIdReference, JsWithoutIdTakesItsMapsOnlyWhenAsked) {
  const IdRefCase &c = GetParam();
  write("app.js", "a();\n" + (c.js_has_id ? debug_id_comment(k_id_b) : "") +
                      "//# sourceMappingURL=app.js.map\n");
  write("app.js.map",
        map_text(R"("debug_id":")" + std::string(k_id_a) + R"(")"));
  PlanOptions opts = options();
  opts.debug_id_reference = c.option;
  UploadPlan plan = plan_upload(opts);
  const auto *js = find(plan, "~/app.js");
  ASSERT_NE(js, nullptr);
  auto it = js->headers.find("debug-id");
  if (c.expected) {
    ASSERT_NE(it, js->headers.end());
    EXPECT_EQ(it->second, *c.expected);
  } else {
    EXPECT_EQ(it, js->headers.end());
  }
  EXPECT_EQ(plan.referencing_sources, 1u);
  EXPECT_EQ(plan.referencing_sources_with_debug_id, c.expected ? 1u : 0u);
  // The map keeps its own id whatever the option.
  const auto *map = find(plan, "~/app.js.map");
  ASSERT_NE(map, nullptr);
  EXPECT_EQ(map->headers.at("debug-id"), k_id_a);
}

INSTANTIATE_TEST_SUITE_P(
    UploadPlan, UploadPlanDebugIdReference,
    ::testing::Values(IdRefCase{"off_no_id", false, false, std::nullopt},
                      IdRefCase{"on_no_id", true, false, std::string(k_id_a)},
                      IdRefCase{"off_own_id", false, true, std::string(k_id_b)},
                      IdRefCase{"on_own_id_kept", true, true,
                                std::string(k_id_b)}),
    [](const auto &test) { return test.param.name; });

TEST_F(UploadPlanTest, DebugIdReferenceNeedsAMapWithAnId) {
  write("app.js", "a();\n//# sourceMappingURL=app.js.map\n");
  write("app.js.map", map_text());
  PlanOptions opts = options();
  opts.debug_id_reference = true;
  UploadPlan plan = plan_upload(opts);
  const auto *js = find(plan, "~/app.js");
  ASSERT_NE(js, nullptr);
  EXPECT_FALSE(js->headers.contains("debug-id"));
  EXPECT_EQ(plan.referencing_sources_with_debug_id, 0u);
}

// ---------------------------------------------------------------------------
// Counts and links

TEST_F(UploadPlanTest, CountsSourcesReferencesAndDebugIds) {
  // explicit reference + own id
  write("a.js", "a();\n" + debug_id_comment(k_id_a) +
                    "//# sourceMappingURL=a.js.map\n");
  write("a.js.map", map_text());
  // guessed reference, no id (its map has one)
  write("b.js", "b();\n");
  write("b.js.map", map_text(R"("debugId":")" + std::string(k_id_b) + R"(")"));
  // own id, no map at all: a source, but not a referencing one
  write("c.js", "c();\n" + debug_id_comment(k_id_b));
  // no id, no map
  write("d.js", "d();\n");

  UploadPlan plan = plan_upload(options());
  EXPECT_EQ(plan.files.size(), 6u);
  EXPECT_EQ(plan.maps.size(), 2u);
  EXPECT_EQ(plan.source_count, 4u);
  EXPECT_EQ(plan.referencing_sources, 2u);
  EXPECT_EQ(plan.referencing_sources_with_debug_id, 1u);

  PlanOptions opts = options();
  opts.debug_id_reference = true;
  UploadPlan with_refs = plan_upload(opts);
  EXPECT_EQ(with_refs.source_count, 4u);
  EXPECT_EQ(with_refs.referencing_sources, 2u);
  EXPECT_EQ(with_refs.referencing_sources_with_debug_id, 2u);
}

TEST_F(UploadPlanTest, LinksTellExplicitReferencesFromGuesses) {
  write("explicit.js", "a();\n//# sourceMappingURL=maps/explicit.map\n");
  write("maps/explicit.map", map_text());
  write("guessed.min.js", "b();\n");
  write("guessed.js.map", map_text());
  write("alone.js", "c();\n");
  UploadPlan plan = plan_upload(options());

  ASSERT_EQ(plan.links.size(), 2u);
  // In walk (path) order.
  EXPECT_EQ(plan.links[0].js, m_dir / "explicit.js");
  EXPECT_EQ(plan.links[0].map, m_dir / "maps/explicit.map");
  EXPECT_TRUE(plan.links[0].explicit_reference);
  EXPECT_EQ(plan.links[1].js, m_dir / "guessed.min.js");
  EXPECT_EQ(plan.links[1].map, m_dir / "guessed.js.map");
  EXPECT_FALSE(plan.links[1].explicit_reference);

  // The guess is recorded as the map's name, as sentry-cli writes it.
  const auto *guessed = find(plan, "~/guessed.min.js");
  ASSERT_NE(guessed, nullptr);
  EXPECT_EQ(guessed->headers, (std::map<std::string, std::string>{
                                  {"sourcemap", "guessed.js.map"}}));
  const auto *alone = find(plan, "~/alone.js");
  ASSERT_NE(alone, nullptr);
  EXPECT_TRUE(alone->headers.empty());
  EXPECT_EQ(plan.referencing_sources, 2u);
}

// ---------------------------------------------------------------------------
// Warnings and errors

TEST_F(UploadPlanTest, NonUtf8FileIsSkippedWithAWarning) {
  write("app.js", "a();\n");
  write("binary.js", std::string("var s = \"\xff\xfe\";\n"));
  UploadPlan plan = plan_upload(options());
  EXPECT_EQ(urls(plan), (std::vector<std::string>{"~/app.js"}));
  EXPECT_EQ(plan.source_count, 1u);
  EXPECT_TRUE(any_warning_contains(plan, "binary.js"));
  EXPECT_TRUE(any_warning_contains(plan, "not valid UTF-8"));
}

TEST_F(UploadPlanTest, ReferenceToAMapNotAmongTheFilesWarns) {
  write("app.js", "a();\n//# sourceMappingURL=missing.js.map\n");
  UploadPlan plan = plan_upload(options());
  const auto *js = find(plan, "~/app.js");
  ASSERT_NE(js, nullptr);
  // The header is still what sentry-cli sends: the reference as written.
  EXPECT_EQ(js->headers.at("sourcemap"), "missing.js.map");
  EXPECT_TRUE(plan.links.empty());
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_NE(plan.warnings[0].find("missing.js.map"), std::string::npos);
  EXPECT_NE(plan.warnings[0].find("not among the uploaded files"),
            std::string::npos)
      << plan.warnings[0];
}

struct BadMapCase {
  std::string name;
  std::string text;
};

class UploadPlanMalformedMap
    : public UploadPlanTest,
      public ::testing::WithParamInterface<BadMapCase> {};

TEST_P(UploadPlanMalformedMap, ThrowsNamingTheFile) {
  write("app.js", "a();\n");
  fs::path bad = write("dist/broken.js.map", GetParam().text);
  try {
    plan_upload(options());
    FAIL() << "a .map that is not a source map was accepted";
  } catch (const uploader::Error &error) {
    // lexically_normal: one kind of separator, as the walk writes it.
    EXPECT_NE(std::string(error.what()).find(bad.lexically_normal().string()),
              std::string::npos)
        << error.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    UploadPlan, UploadPlanMalformedMap,
    ::testing::Values(BadMapCase{"not_json", "this is not json"},
                      BadMapCase{"truncated", R"({"version":3,"sources":[)"},
                      BadMapCase{"json_not_a_map", R"({"hello":"world"})"},
                      BadMapCase{"no_mappings",
                                 R"({"version":3,"sources":["a.ts"]})"},
                      BadMapCase{"javascript", "var x = 1;\n"}),
    [](const auto &test) { return test.param.name; });

TEST_F(UploadPlanTest, MalformedMapOutsideTheExtensionsIsNotRead) {
  write("app.js", "a();\n");
  write("broken.js.map", "not json");
  PlanOptions opts = options();
  opts.extensions = {"js"};
  UploadPlan plan = plan_upload(opts);
  EXPECT_EQ(urls(plan), (std::vector<std::string>{"~/app.js"}));
}

// ---------------------------------------------------------------------------
// Extensions and ignores

TEST_F(UploadPlanTest, ExtensionsDecideWhichFilesAreTaken) {
  write("app.js", "a();\n//# sourceMappingURL=app.js.map\n");
  write("app.js.map", map_text());
  write("lib.mjs", "b();\n");
  write("notes.txt", "hello\n");
  EXPECT_EQ(
      urls(plan_upload(options())),
      (std::vector<std::string>{"~/app.js", "~/app.js.map", "~/lib.mjs"}));

  PlanOptions opts = options();
  opts.extensions = {"js"};
  UploadPlan only_js = plan_upload(opts);
  EXPECT_EQ(urls(only_js), (std::vector<std::string>{"~/app.js"}));
  EXPECT_TRUE(only_js.maps.empty());
  EXPECT_TRUE(only_js.links.empty());
  // The map it names was left out, so the reference goes nowhere.
  EXPECT_TRUE(any_warning_contains(only_js, "not among the uploaded files"));

  opts.extensions = {"txt"};
  EXPECT_EQ(urls(plan_upload(opts)), (std::vector<std::string>{"~/notes.txt"}));
}

TEST_F(UploadPlanTest, IgnoresLeaveFilesOut) {
  write("app.js", "a();\n");
  write("vendor/lib.js", "b();\n");
  write("sub/skip.min.js", "c();\n");
  write("sub/keep.js", "d();\n");
  PlanOptions opts = options();
  opts.ignores = {"vendor/", "*.min.js"};
  EXPECT_EQ(urls(plan_upload(opts)),
            (std::vector<std::string>{"~/app.js", "~/sub/keep.js"}));
}

} // namespace
} // namespace uploader::upload
