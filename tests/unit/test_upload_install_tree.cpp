// install_tree: the copy of a bundle folder that may be deployed.
#include "uploader/upload/install_tree.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_helpers.hpp"

namespace uploader::upload {
namespace {

namespace fs = std::filesystem;

class InstallTree : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_base = fs::temp_directory_path() /
             ("ssm-install-" + test_helpers::process_id() + "-" + info->name());
    fs::remove_all(m_base);
    m_dir = m_base / "dist";
    m_out = m_base / "out";
    write("assets/app.js", "a();\n//# sourceMappingURL=app.js.map\n");
    write("assets/app.js.map", R"({"version":3,"sources":[],"mappings":""})");
    // A map named by its script, whatever its extension.
    write("legacy.js", "l();\n//# sourceMappingURL=maps/legacy.json\n");
    write("maps/legacy.json", R"({"version":3,"sources":[],"mappings":""})");
    write("inline.js", "i();\n//# sourceMappingURL=data:application/json;"
                       "base64,e30=\n");
    write("style.css", "a{}\n/*# sourceMappingURL=style.css.map */\n");
    write(".vite/manifest.json", "{}");
    write("index.html", "<script src=assets/app.js></script>\n");
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(m_base);
    }
  }
  void write(const std::string &relative, std::string_view text) const {
    fs::path path = m_dir / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }
  std::string out(const std::string &relative) const {
    return util::read_file(m_out / relative);
  }
  std::vector<std::string> out_files() const {
    std::vector<std::string> files;
    for (const auto &entry : fs::recursive_directory_iterator(m_out)) {
      if (entry.is_regular_file()) {
        files.push_back(
            entry.path().lexically_relative(m_out).generic_string());
      }
    }
    std::ranges::sort(files);
    return files;
  }
  fs::path m_base, m_dir, m_out;
};

TEST_F(InstallTree, CopiesEverythingButMapsAndMapComments) {
  InstallResult result = install_tree(m_dir, m_out);
  EXPECT_EQ(out_files(),
            (std::vector<std::string>{".vite/manifest.json", "assets/app.js",
                                      "index.html", "inline.js", "legacy.js",
                                      "style.css"}));
  EXPECT_EQ(
      result.maps_left_out,
      (std::vector<std::string>{"assets/app.js.map", "maps/legacy.json"}));
  EXPECT_EQ(out("assets/app.js"), "a();\n");
  EXPECT_EQ(out("legacy.js"), "l();\n");
  EXPECT_EQ(out("inline.js"), "i();\n"); // an inline map embeds the sources
  EXPECT_EQ(out("style.css"), "a{}\n\n");
  EXPECT_EQ(out("index.html"), "<script src=assets/app.js></script>\n");
  EXPECT_EQ(result.comments_removed.size(), 4u);
  // The folder itself is untouched.
  EXPECT_TRUE(fs::exists(m_dir / "assets/app.js.map"));
  EXPECT_EQ(util::read_file(m_dir / "assets/app.js"),
            "a();\n//# sourceMappingURL=app.js.map\n");
}

TEST_F(InstallTree, OnlyTheCommentBrowsersFollowIsRemoved) {
  // A bundler runtime that builds such comments in a string keeps it.
  std::string code = "var s = \"\\n//# sourceMappingURL=\" + u;\nrun(s);\n";
  EXPECT_EQ(
      without_map_comments(code + "//# sourceMappingURL=x.js.map\n", false),
      code);
  EXPECT_EQ(without_map_comments("a();\n", false), "a();\n");
}

TEST_F(InstallTree, ASecondInstallRewritesNothingAndRemovesAnOldLeak) {
  install_tree(m_dir, m_out);
  // An earlier plain install(DIRECTORY) left a map there.
  std::ofstream(m_out / "assets/app.js.map") << "{}";
  InstallResult again = install_tree(m_dir, m_out);
  EXPECT_TRUE(again.written.empty());
  EXPECT_EQ(again.up_to_date.size(), 6u);
  EXPECT_EQ(again.stale_maps_removed,
            (std::vector<std::string>{"assets/app.js.map"}));
  EXPECT_FALSE(fs::exists(m_out / "assets/app.js.map"));
}

TEST_F(InstallTree, AMirrorDropsWhatTheFolderNoLongerHas) {
  install_tree(m_dir, m_out, true);
  fs::remove(m_dir / "legacy.js");
  std::ofstream(m_out / "extra.txt") << "x";
  EXPECT_TRUE(install_tree(m_dir, m_out, false).removed.empty());
  EXPECT_TRUE(fs::exists(m_out / "legacy.js"));
  InstallResult mirrored = install_tree(m_dir, m_out, true);
  EXPECT_EQ(mirrored.removed,
            (std::vector<std::string>{"extra.txt", "legacy.js"}));
}

TEST_F(InstallTree, AMissingFolderIsAnErrorNamingIt) {
  try {
    install_tree(m_base / "nope", m_out);
    FAIL() << "no error";
  } catch (const Error &error) {
    EXPECT_NE(std::string(error.what())
                  .find("nope does not exist: build the "
                        "bundle target first"),
              std::string::npos);
  }
  EXPECT_FALSE(fs::exists(m_out));
}

} // namespace
} // namespace uploader::upload
