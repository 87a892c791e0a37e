// MapRewriter on real files: which source texts it reads into a map, from
// where, and the record of every file it read or looked for (what stamps
// and cached bundles are checked against).
#include "uploader/bundle/map_rewrite.hpp"
#include "uploader/util/fs.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "test_helpers.hpp"

namespace uploader::bundle {
namespace {

namespace fs = std::filesystem;

// /base/app/src/a.js is the app's source; the bundler wrote
// /base/app/dist/assets/a.js.map naming it "../../src/a.js".
class MapRewriterTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_base = fs::temp_directory_path() /
             ("map-rewriter-test-" + test_helpers::process_id() + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_base);
    fs::create_directories(m_base / "app" / "src");
    fs::create_directories(m_base / "app" / "dist" / "assets");
    fs::create_directories(m_base / "secret");
    write(m_base / "app" / "src" / "a.js", "export const a = 1;\n");
    write(m_base / "secret" / "key.js", "const key = 'do not upload';\n");
    m_base = fs::canonical(m_base);
  }
  void TearDown() override { fs::remove_all(m_base); }

  static void write(const fs::path &path, const std::string &text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }

  MapRewriteSettings settings() const {
    MapRewriteSettings s;
    s.source_root = m_base / "app";
    return s;
  }

  fs::path map_path() const {
    return m_base / "app" / "dist" / "assets" / "a.js.map";
  }

  static nlohmann::json parse(const std::optional<std::string> &text) {
    EXPECT_TRUE(text);
    return text ? nlohmann::json::parse(*text) : nlohmann::json();
  }

  fs::path m_base;
};

constexpr std::string_view k_map =
    R"({"version":3,"sources":["../../src/a.js","../../src/missing.js"],)"
    R"("names":[],"mappings":"AAAA,ACAA"})";

TEST_F(MapRewriterTest, ReadsSourcesFromTheMapsFolderAndRecordsThem) {
  MapRewriter rewriter(settings());
  auto out = parse(rewriter.rewrite(map_path(), k_map));
  EXPECT_EQ(out["sources"],
            nlohmann::json::array({"src/a.js", "src/missing.js"}));
  EXPECT_EQ(out["sourcesContent"],
            nlohmann::json::array({"export const a = 1;\n", nullptr}));
  EXPECT_EQ(out["mappings"], "AAAA,ACAA");

  // Both the file read and the one looked for, by absolute path.
  SourcesRead read = rewriter.sources_read();
  fs::path a = m_base / "app" / "src" / "a.js";
  fs::path missing = m_base / "app" / "src" / "missing.js";
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read.at(a.string()), util::file_identity(a));
  EXPECT_NE(read.at(a.string()), "absent");
  EXPECT_EQ(read.at(missing.string()), "absent");
}

TEST_F(MapRewriterTest, ParkedMapResolvesFromWhereItWasBuilt) {
  // The same map moved elsewhere (parked after a failed upload) still
  // names and finds its sources as it did where the bundler wrote it.
  fs::path parked = m_base / "pending" / "upload-1" / "files" / "a.js.map";
  fs::create_directories(parked.parent_path());
  MapRewriter rewriter(settings());
  auto out = parse(rewriter.rewrite(parked, k_map, map_path().parent_path()));
  EXPECT_EQ(out["sources"][0], "src/a.js");
  EXPECT_EQ(out["sourcesContent"][0], "export const a = 1;\n");

  // Without the folder it was built in, the paths point elsewhere.
  MapRewriter lost(settings());
  auto wrong = parse(lost.rewrite(parked, k_map));
  EXPECT_NE(wrong["sources"][0], "src/a.js");
  EXPECT_TRUE(wrong["sourcesContent"][0].is_null());
}

TEST_F(MapRewriterTest, NeverReadsThroughALinkOutOfTheRoot) {
#if defined(_WIN32)
  GTEST_SKIP() << test_helpers::k_no_symlinks;
#endif
  fs::create_symlink(m_base / "secret" / "key.js",
                     m_base / "app" / "src" / "a.js.link");
  std::string map =
      R"({"version":3,"sources":["../../src/a.js.link"],"names":[],)"
      R"("mappings":"AAAA"})";
  MapRewriteSettings s = settings();
  MapRewriter rewriter(s);
  // The working directory of the test run must not contain /base/secret.
  ASSERT_FALSE(util::is_inside(m_base / "secret", fs::current_path()));
  auto out = parse(rewriter.rewrite(map_path(), map));
  EXPECT_EQ(out["sources"][0], "src/a.js.link");
  EXPECT_TRUE(!out.contains("sourcesContent") ||
              out["sourcesContent"][0].is_null())
      << out.dump();
  EXPECT_EQ(out.dump().find("do not upload"), std::string::npos);
}

TEST_F(MapRewriterTest, NothingToDoLeavesTheMapAndReadsNothing) {
  std::string complete =
      R"({"version":3,"sources":["src/a.js"],"sourcesContent":["x"],)"
      R"("names":[],"mappings":"AAAA"})";
  MapRewriter rewriter(settings());
  fs::path at_root = m_base / "app" / "a.js.map";
  EXPECT_FALSE(rewriter.rewrite(at_root, complete));
  EXPECT_TRUE(rewriter.sources_read().empty());

  MapRewriteSettings off = settings();
  off.enabled = false;
  MapRewriter disabled(off);
  EXPECT_FALSE(disabled.rewrite(map_path(), k_map));
  EXPECT_TRUE(disabled.sources_read().empty());
}

} // namespace
} // namespace uploader::bundle
