#include "uploader/util/hash.hpp"

#include <gtest/gtest.h>

using namespace uploader::util;

TEST(UtilHash, Sha1KnownVectors) {
  EXPECT_EQ(to_hex(sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(to_hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(UtilHash, Sha1IncrementalEqualsOneShot) {
  Sha1 hasher;
  hasher.update(std::string_view("console.log("));
  hasher.update(std::string_view("'hello');\n"));
  EXPECT_EQ(hasher.finish(), sha1("console.log('hello');\n"));
}

TEST(UtilHash, Base64RoundTripsAllTailLengths) {
  for (std::string text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    std::string encoded = base64_encode(text);
    EXPECT_EQ(encoded.size() % 4, 0u);
    EXPECT_EQ(base64_decode(encoded, true), text) << encoded;
  }
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
}

TEST(UtilHash, Base64DecodeRejectsGarbage) {
  EXPECT_EQ(base64_decode("Zm9v!mFy", true), std::nullopt);
  EXPECT_EQ(base64_decode("Zm8", true), std::nullopt); // unpadded
  EXPECT_EQ(base64_decode("Zm8", false), "fo");
  EXPECT_EQ(base64_decode("Zm9=", false), std::nullopt); // non-zero tail bits
}
