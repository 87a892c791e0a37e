// util/deflate, whichever backend this build uses (libdeflate or zlib): the
// zip CRC-32, raw DEFLATE that round-trips, and strict inflation.
#include "uploader/util/deflate.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

using namespace uploader::util;

namespace {

std::string random_bytes(size_t size, unsigned seed) {
  std::mt19937 engine(seed);
  std::string bytes(size, '\0');
  for (auto &c : bytes) {
    c = static_cast<char>(engine() & 0xff);
  }
  return bytes;
}

std::string source_like(size_t size) {
  std::string text;
  for (int i = 0; text.size() < size; ++i) {
    text += "export function item" + std::to_string(i % 97) +
            "(a, b) { return a + b * " + std::to_string(i) + "; }\n";
  }
  text.resize(size);
  return text;
}

} // namespace

TEST(UtilDeflate, Crc32IsTheZipOne) {
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u); // the standard check value
  EXPECT_EQ(crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
  EXPECT_FALSE(deflate_backend().empty());
}

TEST(UtilDeflate, CompressibleTextRoundTripsAtEveryLevel) {
  std::string text = source_like(300000);
  for (int level : {1, 6, 9, 12}) {
    auto packed = deflate_smaller(text, level);
    ASSERT_TRUE(packed) << level;
    EXPECT_LT(packed->size(), text.size() / 3) << level;
    auto back = inflate_exact(*packed, text.size());
    ASSERT_TRUE(back) << level;
    EXPECT_EQ(*back, text) << level;
  }
}

TEST(UtilDeflate, IncompressibleOrEmptyDataIsNotDeflated) {
  EXPECT_FALSE(deflate_smaller(random_bytes(65536, 1), 1));
  EXPECT_FALSE(deflate_smaller("", 1));
  EXPECT_FALSE(deflate_smaller("a", 1));
}

TEST(UtilDeflate, InflateAcceptsOnlyTheExactSize) {
  std::string text = source_like(10000);
  auto packed = deflate_smaller(text, 6);
  ASSERT_TRUE(packed);
  EXPECT_FALSE(inflate_exact(*packed, text.size() - 1));
  EXPECT_FALSE(inflate_exact(*packed, text.size() + 1));
  EXPECT_FALSE(
      inflate_exact(packed->substr(0, packed->size() / 2), text.size()));
  EXPECT_FALSE(inflate_exact(random_bytes(1000, 2), text.size()));
  EXPECT_TRUE(inflate_exact(*packed, text.size()));
}
