#include "uploader/sourcemap/vlq.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

using namespace uploader::sourcemap;

TEST(SourcemapVlq, KnownEncodings) {
  std::string out;
  for (std::int64_t value : {3, 0, 0, 4, 0}) {
    encode_vlq(out, value);
  }
  EXPECT_EQ(out, "GAAIA");
  out.clear();
  encode_vlq(out, -1);
  encode_vlq(out, 16);
  encode_vlq(out, -123456);
  EXPECT_EQ(out, "DgBhkxH");
}

TEST(SourcemapVlq, RoundTripsManyValues) {
  for (std::int64_t value = -70000; value <= 70000; value += 7) {
    std::string text;
    encode_vlq(text, value);
    std::size_t pos = 0;
    std::int64_t decoded = 0;
    ASSERT_EQ(decode_vlq(text, pos, decoded), VlqStatus::ok);
    EXPECT_EQ(decoded, value);
    EXPECT_EQ(pos, text.size());
  }
  for (std::int64_t value : {std::int64_t{1} << 31, (std::int64_t{1} << 40) - 1,
                             -(std::int64_t{1} << 35)}) {
    std::string text;
    encode_vlq(text, value);
    std::size_t pos = 0;
    std::int64_t decoded = 0;
    ASSERT_EQ(decode_vlq(text, pos, decoded), VlqStatus::ok);
    EXPECT_EQ(decoded, value);
  }
}

TEST(SourcemapVlq, ReportsBadInput) {
  std::size_t pos = 0;
  std::int64_t value = 0;
  EXPECT_EQ(decode_vlq("!", pos, value), VlqStatus::invalid_char);
  pos = 0;
  EXPECT_EQ(decode_vlq("g", pos, value), VlqStatus::leftover);
  pos = 0;
  EXPECT_EQ(decode_vlq(",", pos, value), VlqStatus::end);
  pos = 0;
  EXPECT_EQ(decode_vlq("gggggggggggggggA", pos, value), VlqStatus::overflow);
}
