// --delete-after: which maps may be removed, removing them, and taking the
// sourceMappingURL comments that pointed at them out of the JS files.
#include "uploader/upload/cleanup.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>
#if !defined(_WIN32)
#include <sys/stat.h>
#endif

#include "test_helpers.hpp"

namespace uploader::upload {
namespace {

namespace fs = std::filesystem;

std::string map_text() {
  return R"({"version":3,"sources":["a.ts"],"names":[],"mappings":"AAAA"})";
}

class UploadCleanup : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name =
        std::string(info->test_suite_name()) + "-" + info->name();
    std::ranges::replace(name, '/', '_');
    m_base = fs::temp_directory_path() /
             ("ssm-cleanup-" + test_helpers::process_id() + "-" + name);
    fs::remove_all(m_base);
    m_dir = m_base / "dist";
    m_outside = m_base / "outside";
    fs::create_directories(m_dir);
    fs::create_directories(m_outside);
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(m_base);
    }
  }

  static fs::path write_at(const fs::path &path, std::string_view text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  fs::path write(const std::string &relative, std::string_view text) const {
    return write_at(m_dir / relative, text);
  }

  UploadPlan plan() const {
    PlanOptions options;
    options.roots = {m_dir.string()};
    return plan_upload(options);
  }

  static bool any_contains(const std::vector<std::string> &warnings,
                           std::string_view needle) {
    return std::ranges::any_of(warnings, [&](const std::string &w) {
      return w.find(needle) != std::string::npos;
    });
  }

  fs::path m_base;
  fs::path m_dir;     // the uploaded folder
  fs::path m_outside; // a sibling folder that is never uploaded
};

// ---------------------------------------------------------------------------
// maps_to_delete

TEST_F(UploadCleanup, DefaultIsEveryMapInThePlan) {
  write("a.js", "a();\n//# sourceMappingURL=a.js.map\n");
  write("a.js.map", map_text());
  write("sub/b.js", "b();\n");
  write("sub/b.js.map", map_text());
  write("other.map.txt", "not in the plan");
  std::vector<std::string> warnings;
  auto maps = maps_to_delete(plan(), {}, {m_dir.string()}, warnings);
  EXPECT_EQ(maps, (std::vector<fs::path>{m_dir / "a.js.map",
                                         m_dir / "sub/b.js.map"}));
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST_F(UploadCleanup, DefaultTakesAnExplicitFileRoot) {
  fs::path map = write("a.js.map", map_text());
  PlanOptions options;
  options.roots = {map.string()};
  std::vector<std::string> warnings;
  auto maps = maps_to_delete(plan_upload(options), {}, options.roots, warnings);
  EXPECT_EQ(maps, (std::vector<fs::path>{map}));
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST_F(UploadCleanup, GlobsMatchFilesUnderEachRoot) {
  fs::path second = m_base / "second";
  write("a.js.map", map_text());
  write("deep/er/b.js.map", map_text());
  write("keep.js", "k();\n");
  write("folder.map/inner.txt", "a folder is never returned");
  write_at(second / "c.js.map", map_text());
  write_at(second / "d.txt", "no");
  // Not among the roots: never looked at.
  write_at(m_outside / "e.js.map", map_text());

  std::vector<std::string> warnings;
  auto maps = maps_to_delete(UploadPlan{}, {"**/*.map"},
                             {m_dir.string(), second.string()}, warnings);
  EXPECT_EQ(maps, (std::vector<fs::path>{m_dir / "a.js.map",
                                         m_dir / "deep/er/b.js.map",
                                         second / "c.js.map"}));
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST_F(UploadCleanup, GlobsAreRelativeToTheRootAndDeduplicated) {
  write("a.js.map", map_text());
  write("sub/b.js.map", map_text());
  std::vector<std::string> warnings;
  // `*` does not cross '/': only the top-level map; the second glob
  // matches it again and the result has it once.
  auto maps = maps_to_delete(UploadPlan{}, {"*.map", "a.*"}, {m_dir.string()},
                             warnings);
  EXPECT_EQ(maps, (std::vector<fs::path>{m_dir / "a.js.map"}));
  auto sub =
      maps_to_delete(UploadPlan{}, {"sub/*.map"}, {m_dir.string()}, warnings);
  EXPECT_EQ(sub, (std::vector<fs::path>{m_dir / "sub/b.js.map"}));
}

class UploadCleanupBadGlob : public UploadCleanup,
                             public ::testing::WithParamInterface<std::string> {
};

TEST_P(UploadCleanupBadGlob, IsAConfigError) {
  write("a.js.map", map_text());
  std::vector<std::string> warnings;
  EXPECT_THROW(maps_to_delete(UploadPlan{}, {"*.map", GetParam()},
                              {m_dir.string()}, warnings),
               ConfigError);
  // Nothing was chosen, so nothing can be deleted by mistake.
  EXPECT_TRUE(fs::exists(m_dir / "a.js.map"));
}

INSTANTIATE_TEST_SUITE_P(UploadCleanup, UploadCleanupBadGlob,
                         ::testing::Values("/abs/*.map", "/", "../*.map",
                                           "sub/../../x.map", "**/..", ""));

TEST_F(UploadCleanup, GlobNeverReturnsASymlinkToOutside) {
#if defined(_WIN32)
  GTEST_SKIP() << test_helpers::k_no_symlinks;
#endif
  fs::path target = write_at(m_outside / "secret.js.map", map_text());
  fs::create_symlink(target, m_dir / "link.js.map");
  write("real.js.map", map_text());
  std::vector<std::string> warnings;
  auto maps =
      maps_to_delete(UploadPlan{}, {"**/*.map"}, {m_dir.string()}, warnings);
  EXPECT_EQ(maps, (std::vector<fs::path>{m_dir / "real.js.map"}));
  EXPECT_TRUE(any_contains(warnings, "link.js.map"));
}

TEST_F(UploadCleanup, GlobNeverEntersALinkedFolder) {
#if defined(_WIN32)
  GTEST_SKIP() << test_helpers::k_no_symlinks;
#endif
  write_at(m_outside / "x.js.map", map_text());
  fs::create_directory_symlink(m_outside, m_dir / "linked");
  std::vector<std::string> warnings;
  auto maps =
      maps_to_delete(UploadPlan{}, {"**/*.map"}, {m_dir.string()}, warnings);
  EXPECT_TRUE(maps.empty()) << maps.front();
}

TEST_F(UploadCleanup, DefaultNeverReturnsASymlinkedMap) {
#if defined(_WIN32)
  GTEST_SKIP() << test_helpers::k_no_symlinks;
#endif
  // The walk follows links, so the plan holds the linked map; deleting it
  // would remove (or dangle) a file outside the folder.
  write("app.js", "a();\n//# sourceMappingURL=link.js.map\n");
  fs::path target = write_at(m_outside / "secret.js.map", map_text());
  fs::create_symlink(target, m_dir / "link.js.map");
  UploadPlan planned = plan();
  ASSERT_EQ(planned.maps.size(), 1u);
  ASSERT_EQ(planned.maps[0].path, m_dir / "link.js.map");
  std::vector<std::string> warnings;
  auto maps = maps_to_delete(planned, {}, {m_dir.string()}, warnings);
  EXPECT_TRUE(maps.empty()) << maps.front();
  EXPECT_TRUE(any_contains(warnings, "link.js.map"));
}

TEST_F(UploadCleanup, DefaultNeverReturnsAFileWhoseRealPathIsOutside) {
#if defined(_WIN32)
  GTEST_SKIP() << test_helpers::k_no_symlinks;
#endif
  // A regular file reached through a linked folder: not a link itself,
  // but its real path is outside the root.
  write_at(m_outside / "x.js", "x();\n");
  fs::path escaped = write_at(m_outside / "x.js.map", map_text());
  fs::create_directory_symlink(m_outside, m_dir / "linked");
  write("own.js.map", map_text());
  UploadPlan planned = plan();
  ASSERT_EQ(planned.maps.size(), 2u);
  std::vector<std::string> warnings;
  auto maps = maps_to_delete(planned, {}, {m_dir.string()}, warnings);
  EXPECT_EQ(maps, (std::vector<fs::path>{m_dir / "own.js.map"}));
  EXPECT_TRUE(any_contains(warnings, "linked/x.js.map"));
  EXPECT_TRUE(any_contains(warnings, "outside"));
  EXPECT_TRUE(fs::exists(escaped));
}

TEST_F(UploadCleanup, RootPrefixOfASiblingIsNotInside) {
#if defined(_WIN32)
  GTEST_SKIP() << test_helpers::k_no_symlinks;
#endif
  // "/base/dist" must not count "/base/dist-old/x.map" as inside.
  fs::path sibling = m_base / "dist-old";
  fs::path escaped = write_at(sibling / "x.js.map", map_text());
  fs::create_directory_symlink(sibling, m_dir / "old");
  UploadPlan planned = plan();
  ASSERT_EQ(planned.maps.size(), 1u);
  std::vector<std::string> warnings;
  auto maps = maps_to_delete(planned, {}, {m_dir.string()}, warnings);
  EXPECT_TRUE(maps.empty()) << maps.front();
  EXPECT_TRUE(any_contains(warnings, "old/x.js.map"));
}

// ---------------------------------------------------------------------------
// without_source_mapping_url

struct StripCase {
  std::string name;
  std::string js;
  std::string expected;
};

class UploadCleanupWithoutUrl : public ::testing::TestWithParam<StripCase> {};

TEST_P(UploadCleanupWithoutUrl, RemovesTheLastComment) {
  EXPECT_EQ(without_source_mapping_url(GetParam().js), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    UploadCleanup, UploadCleanupWithoutUrl,
    ::testing::Values(
        StripCase{"alone_on_last_line", "a();\n//# sourceMappingURL=a.js.map\n",
                  "a();\n"},
        StripCase{"alone_without_final_newline",
                  "a();\n//# sourceMappingURL=a.js.map", "a();\n"},
        StripCase{"only_the_comment", "//# sourceMappingURL=a.js.map\n", ""},
        StripCase{"indented", "a();\n  \t//# sourceMappingURL=a.js.map\n",
                  "a();\n"},
        StripCase{"after_code_same_line",
                  "a();b(); //# sourceMappingURL=a.js.map\n", "a();b(); \n"},
        StripCase{"after_code_no_newline", "a(); //# sourceMappingURL=a.js.map",
                  "a(); "},
        StripCase{"at_form", "a();\n//@ sourceMappingURL=a.js.map\n", "a();\n"},
        StripCase{"crlf", "a();\r\n//# sourceMappingURL=a.js.map\r\n",
                  "a();\r\n"},
        StripCase{"crlf_then_more",
                  "a();\r\n//# sourceMappingURL=a.map\r\nb();", "a();\r\nb();"},
        StripCase{"no_comment", "a();\n// just a comment\n",
                  "a();\n// just a comment\n"},
        StripCase{"empty", "", ""},
        StripCase{"other_magic_comment_kept",
                  "a();\n//# debugId=2297b93d-928d-421e-8910-127c786382da\n",
                  "a();\n//# debugId=2297b93d-928d-421e-8910-127c786382da\n"},
        StripCase{"not_last_line",
                  "a();\n//# sourceMappingURL=a.js.map\nb();\n",
                  "a();\nb();\n"},
        StripCase{"only_the_last_of_two",
                  "//# sourceMappingURL=old.map\na();\n"
                  "//# sourceMappingURL=new.map\n",
                  "//# sourceMappingURL=old.map\na();\n"},
        StripCase{
            "at_form_after_hash_form",
            "//# sourceMappingURL=old.map\n//@ sourceMappingURL=new.map\n",
            "//# sourceMappingURL=old.map\n"},
        StripCase{"debug_id_line_before_kept",
                  "a();\n//# debugId=2297b93d-928d-421e-8910-127c786382da\n"
                  "//# sourceMappingURL=a.js.map\n",
                  "a();\n//# debugId=2297b93d-928d-421e-8910-127c786382da\n"}),
    [](const auto &test) { return test.param.name; });

// ---------------------------------------------------------------------------
// strip_source_mapping_urls

TEST_F(UploadCleanup, StripsOnlyCommentsPointingAtDeletedMaps) {
  fs::path a = write("a.js", "a();\n//# sourceMappingURL=a.js.map\n");
  fs::path a_map = write("a.js.map", map_text());
  fs::path b = write("b.js", "b();\n//# sourceMappingURL=b.js.map\n");
  fs::path b_map = write("b.js.map", map_text());
  // A guessed link: its comment names a remote map, not the deleted one.
  std::string c_text = "c();\n//# sourceMappingURL=https://cdn/c.js.map\n";
  fs::path c = write("c.js", c_text);
  fs::path c_map = write("c.js.map", map_text());
  fs::permissions(a, static_cast<fs::perms>(0640));

  UploadPlan planned = plan();
  ASSERT_EQ(planned.links.size(), 3u);
  EXPECT_FALSE(planned.links[2].explicit_reference);

  auto changed = strip_source_mapping_urls(planned.links, {a_map, c_map});
  EXPECT_EQ(changed, (std::vector<fs::path>{a}));
  EXPECT_EQ(util::read_file(a), "a();\n");
  EXPECT_EQ(util::read_file(b), "b();\n//# sourceMappingURL=b.js.map\n");
  EXPECT_EQ(util::read_file(c), c_text);
#if !defined(_WIN32) // Windows has no permission bits to keep
  struct stat info {};
  ASSERT_EQ(::stat(a.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0640u);
#endif
  // No temporary files are left next to the rewritten one.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto &entry : fs::directory_iterator(m_dir)) {
    ++entries;
  }
  EXPECT_EQ(entries, 6u);
}

TEST_F(UploadCleanup, NothingDeletedNothingStripped) {
  fs::path a = write("a.js", "a();\n//# sourceMappingURL=a.js.map\n");
  write("a.js.map", map_text());
  UploadPlan planned = plan();
  EXPECT_TRUE(strip_source_mapping_urls(planned.links, {}).empty());
  EXPECT_TRUE(
      strip_source_mapping_urls(planned.links, {m_dir / "other.map"}).empty());
  EXPECT_EQ(util::read_file(a), "a();\n//# sourceMappingURL=a.js.map\n");
}

// ---------------------------------------------------------------------------
// delete_maps

TEST_F(UploadCleanup, DeleteMapsRemovesInOrderThenStrips) {
  fs::path a = write("a.js", "a();\n//# sourceMappingURL=a.js.map\n");
  fs::path a_map = write("a.js.map", map_text());
  fs::path b = write("b.js", "b();\n//# sourceMappingURL=b.js.map\n");
  fs::path b_map = write("b.js.map", map_text());
  fs::path z_map = write("z.js.map", map_text());
  UploadPlan planned = plan();

  CleanupResult result = delete_maps(planned, {z_map, a_map}, true);
  EXPECT_EQ(result.deleted, (std::vector<fs::path>{z_map, a_map}));
  EXPECT_EQ(result.stripped, (std::vector<fs::path>{a}));
  EXPECT_TRUE(result.warnings.empty()) << result.warnings.front();
  EXPECT_FALSE(fs::exists(a_map));
  EXPECT_FALSE(fs::exists(z_map));
  EXPECT_TRUE(fs::exists(b_map));
  EXPECT_EQ(util::read_file(a), "a();\n");
  EXPECT_EQ(util::read_file(b), "b();\n//# sourceMappingURL=b.js.map\n");
}

TEST_F(UploadCleanup, DeleteMapsWithoutStripKeepsComments) {
  fs::path a = write("a.js", "a();\n//# sourceMappingURL=a.js.map\n");
  fs::path a_map = write("a.js.map", map_text());
  CleanupResult result = delete_maps(plan(), {a_map}, false);
  EXPECT_EQ(result.deleted, (std::vector<fs::path>{a_map}));
  EXPECT_TRUE(result.stripped.empty());
  EXPECT_FALSE(fs::exists(a_map));
  EXPECT_EQ(util::read_file(a), "a();\n//# sourceMappingURL=a.js.map\n");
}

TEST_F(UploadCleanup, DeleteMapsReportsOnlyWhatItRemoved) {
  fs::path a = write("a.js", "a();\n//# sourceMappingURL=a.js.map\n");
  fs::path a_map = write("a.js.map", map_text());
  fs::path b_map = write("b.js.map", map_text());
  UploadPlan planned = plan();
  // Already gone: not deleted, and so its JS keeps its comment.
  ASSERT_TRUE(fs::remove(a_map));
  // Cannot be removed (a folder with contents): a warning.
  fs::path stuck = m_dir / "stuck.map";
  write_at(stuck / "inside.txt", "x");

  CleanupResult result = delete_maps(planned, {a_map, stuck, b_map}, true);
  EXPECT_EQ(result.deleted, (std::vector<fs::path>{b_map}));
  EXPECT_TRUE(result.stripped.empty());
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find(stuck.string()), std::string::npos)
      << result.warnings[0];
  EXPECT_TRUE(fs::exists(stuck / "inside.txt"));
  EXPECT_EQ(util::read_file(a), "a();\n//# sourceMappingURL=a.js.map\n");
}

} // namespace
} // namespace uploader::upload
