#include "uploader/discovery/walk.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/platform.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace uploader::discovery;
namespace fs = std::filesystem;

namespace {

class DiscoveryWalk : public ::testing::Test {
protected:
  void SetUp() override {
    m_dir =
        fs::temp_directory_path() /
        ("walk-test-" +
         std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    for (const char *name :
         {"a.js", "b.min.js", "c.js.map", "d.txt", ".hidden.js", ".git/x.js",
          "sub/e.mjs", "sub/skip/f.js", "vendor/g.js"}) {
      fs::path path = m_dir / name;
      fs::create_directories(path.parent_path());
      std::ofstream(path) << "x";
    }
#if !defined(_WIN32) // test_helpers::k_no_symlinks: no "linked" there
    fs::create_directory_symlink(m_dir / "sub", m_dir / "linked");
#endif
  }
  void TearDown() override { fs::remove_all(m_dir); }

  std::vector<std::string> urls(WalkOptions options) {
    std::vector<std::string> out;
    for (const auto &file : walk(options)) {
      out.push_back(file.relative);
    }
    return out;
  }

  fs::path m_dir;
};

} // namespace

TEST_F(DiscoveryWalk, FiltersHiddenExtensionsAndIgnores) {
  WalkOptions options;
  options.roots = {m_dir.string()};
  options.extensions = {"js", "mjs", "map"};
  options.ignores = {"skip/", "vendor/*.js"};
  // As sentry-cli: a hidden file with a wanted extension is taken, a hidden
  // folder (.git) is not.
  std::vector<std::string> expected{".hidden.js", "a.js",         "b.min.js",
                                    "c.js.map",   "linked/e.mjs", "sub/e.mjs"};
#if defined(_WIN32) // no link (see SetUp)
  std::erase(expected, "linked/e.mjs");
#endif
  EXPECT_EQ(urls(options), expected);
}

TEST_F(DiscoveryWalk, IgnoreFileCanWhitelistAHiddenFolder) {
  WalkOptions options;
  options.roots = {m_dir.string()};
  options.extensions = {"js"};
  options.ignore_file_lines = {"!.git/", "*.js", "!x.js"};
  EXPECT_EQ(urls(options), (std::vector<std::string>{".git/x.js"}));
}

TEST_F(DiscoveryWalk, MultiDotExtensionsAndExplicitFiles) {
  WalkOptions options;
  options.roots = {m_dir.string(), (m_dir / "d.txt").string()};
  options.extensions = {"min.js"};
  EXPECT_EQ(urls(options), (std::vector<std::string>{"b.min.js", "d.txt"}));
  auto files = walk(options);
  EXPECT_EQ(files[0].url,
            uploader::util::path_as_url(m_dir.string()) + "/b.min.js");
}

TEST_F(DiscoveryWalk, MissingRootIsAnError) {
  WalkOptions options;
  options.roots = {(m_dir / "nope").string()};
  EXPECT_THROW(walk(options), uploader::Error);
}

TEST_F(DiscoveryWalk, IgnoreFileLinesMatchPathsFromTheWorkingDirectory) {
  // As sentry-cli's walker: relative to the working directory, the last
  // matching line decides, `!` re-includes, `--ignore` globs win over it.
  fs::path cwd = fs::current_path();
  fs::current_path(m_dir.parent_path());
  std::string root = m_dir.filename().string();
  WalkOptions options;
  options.roots = {root};
  options.extensions = {"js", "mjs", "map"};
  options.ignore_file_lines = {
      "# comment",   "",          "*.js",         "!" + root + "/sub/skip/*.js",
      root + "/b.*", "vendor/  ", "\\!literal.js"};
  options.ignores = {"linked/"};
  std::vector<std::string> found = urls(options);
  fs::current_path(cwd);
  EXPECT_EQ(found, (std::vector<std::string>{"c.js.map", "sub/e.mjs",
                                             "sub/skip/f.js"}));
}
