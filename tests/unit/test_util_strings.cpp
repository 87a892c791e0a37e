#include "uploader/util/strings.hpp"

#include <gtest/gtest.h>

using uploader::util::ascii_lower;

TEST(UtilAscii, LowersAsciiLettersOnly) {
  EXPECT_EQ(ascii_lower("Content-Type: X-Y"), "content-type: x-y");
  EXPECT_EQ(ascii_lower("ÉCOLE-Zz09_"), "École-zz09_"); // UTF-8 left alone
  EXPECT_EQ(ascii_lower(""), "");
}

TEST(UtilHexAddress, WritesAndReadsFrameAddresses) {
  using uploader::util::hex_address;
  using uploader::util::parse_hex_address;
  EXPECT_EQ(hex_address(0), "0x0");
  EXPECT_EQ(hex_address(0x1a3), "0x1a3");
  EXPECT_EQ(hex_address(0xffffffffffffffffULL), "0xffffffffffffffff");
  EXPECT_EQ(parse_hex_address("0x1A3"), 0x1a3u);
  EXPECT_EQ(parse_hex_address("0Xff"), 0xffu);
  EXPECT_EQ(parse_hex_address("0xffffffffffffffff"), 0xffffffffffffffffULL);
  for (const char *bad :
       {"", "0x", "1a3", "0x1g", "0x10000000000000000", "-0x1", "0x 1"}) {
    EXPECT_EQ(parse_hex_address(bad), std::nullopt) << bad;
  }
}
