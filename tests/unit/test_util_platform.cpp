#include "uploader/util/platform.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace uploader::util;
namespace fs = std::filesystem;

TEST(UtilPlatform, FindLastByteSearchesOnlyTheRange) {
  std::string text = "a#b#c#d";
  EXPECT_EQ(find_last_byte(text, '#', 0, text.size()), 5u);
  EXPECT_EQ(find_last_byte(text, '#', 0, 5), 3u);
  EXPECT_EQ(find_last_byte(text, '#', 4, 5), std::string::npos);
  EXPECT_EQ(find_last_byte(text, '#', 3, 4), 3u);
  EXPECT_EQ(find_last_byte(text, 'x', 0, text.size()), std::string::npos);
  EXPECT_EQ(find_last_byte(text, 'a', 0, 100), 0u); // end clamped
  EXPECT_EQ(find_last_byte(text, 'a', 5, 2), std::string::npos);
  EXPECT_EQ(find_last_byte("", 'a', 0, 0), std::string::npos);
}

TEST(UtilPlatform, TempFoldersAreNewAndPrivate) {
  fs::path a = make_temp_folder("ssm-platform-test-");
  fs::path b = make_temp_folder("ssm-platform-test-");
  EXPECT_NE(a, b);
  EXPECT_TRUE(fs::is_directory(a));
  EXPECT_TRUE(a.filename().string().starts_with("ssm-platform-test-"));
#if !defined(_WIN32)
  // Windows reports no mode bits (always 07 for others): the folder is
  // private through the user profile's access list instead.
  EXPECT_EQ(fs::status(a).permissions() & fs::perms::others_all,
            fs::perms::none);
#endif
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(UtilPlatform, PathsMadeFromUtf8TextNameTheFileThatTextNames) {
  const std::string name =
      "r\xc3\xa9sum\xc3\xa9-\xe2\x82\xac\xf0\x9f\x93\x84.js";
  fs::path folder = make_temp_folder("ssm-platform-utf8-");
  fs::path file = folder / path_from_utf8(name);
#if defined(_WIN32)
  // One UTF-16 unit per character, the emoji a surrogate pair: not the
  // bytes widened one by one.
  EXPECT_EQ(path_from_utf8(name).wstring(),
            L"r\u00e9sum\u00e9-\u20ac\U0001F4C4.js");
#endif
  { std::ofstream(file) << "x"; }
  std::vector<std::string> listed;
  for (const auto &entry : fs::directory_iterator(folder)) {
    listed.push_back(path_to_utf8(entry.path().filename()));
  }
  EXPECT_EQ(listed, std::vector<std::string>{name});
  EXPECT_EQ(path_to_utf8(path_from_utf8("a/" + name)), "a/" + name);
  EXPECT_TRUE(fs::exists(path_from_utf8(path_to_utf8(file))));
  fs::remove_all(folder);
}

TEST(UtilPlatform, ArgumentsAreTheCommandLineWithoutTheProgram) {
  char program[] = "sentry-sourcemaps";
  char first[] = "upload";
  char *argv[] = {program, first, nullptr};
#if !defined(_WIN32)
  EXPECT_EQ(utf8_arguments(2, argv), std::vector<std::string>{"upload"});
  EXPECT_EQ(utf8_arguments(0, argv), std::vector<std::string>{});
#else
  // Windows reads the process's own command line, not the argv given.
  EXPECT_EQ(utf8_arguments(2, argv).size(), static_cast<size_t>(__argc - 1));
#endif
}
