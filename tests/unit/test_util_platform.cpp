#include "uploader/util/platform.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

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
