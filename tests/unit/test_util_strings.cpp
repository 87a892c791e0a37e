#include "uploader/util/strings.hpp"

#include <gtest/gtest.h>

using uploader::util::ascii_lower;

TEST(UtilAscii, LowersAsciiLettersOnly) {
  EXPECT_EQ(ascii_lower("Content-Type: X-Y"), "content-type: x-y");
  EXPECT_EQ(ascii_lower("ÉCOLE-Zz09_"), "École-zz09_"); // UTF-8 left alone
  EXPECT_EQ(ascii_lower(""), "");
}
