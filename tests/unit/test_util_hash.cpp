#include "uploader/util/hash.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

using namespace uploader::util;

TEST(UtilHash, Sha1KnownVectors) {
  EXPECT_EQ(to_hex(sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(to_hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

// FIPS 180 examples and the padding edges (a length field that does or does
// not fit in the last block), whichever implementation this build uses.
TEST(UtilHash, Sha1StandardVectorsAndBlockEdges) {
  EXPECT_EQ(
      to_hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
      "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(to_hex(sha1(std::string(1000000, 'a'))),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  // Bytes (i * 7 + 3) mod 256; digests from Python's hashlib.
  const std::pair<size_t, const char *> edges[] = {
      {55, "ddf57317ef34bfee3b6df83d359098930eb278bc"},
      {56, "a0d492bb0fc889d0eca3bc137066ab6f4f74f369"},
      {63, "c55856749bef509bdfe6bfebfc7bf4e793e82132"},
      {64, "bede92be29c3874e1b54ddc77988d606fc857a8e"},
      {65, "b05a80522b053d6dc7e0a517d0e70212c7dad11f"},
      {119, "504e27376a6e0f0dba8295b85cb25dc4dfa17d23"},
      {120, "82134b02fb3f702491be9bed581eeab59334acb2"},
      {128, "a09133e6730ffe899efb70204cb5646cd5dc24ee"}};
  for (const auto &[size, digest] : edges) {
    std::string bytes;
    for (size_t i = 0; i < size; ++i) {
      bytes += static_cast<char>((i * 7 + 3) % 256);
    }
    EXPECT_EQ(to_hex(sha1(bytes)), digest) << size << " bytes";
    // The same bytes fed in every split: block buffering must not matter.
    for (size_t cut = 0; cut <= size; cut += 9) {
      Sha1 hasher;
      hasher.update(std::string_view(bytes).substr(0, cut));
      hasher.update(std::string_view(bytes).substr(cut));
      EXPECT_EQ(to_hex(hasher.finish()), digest) << size << " cut at " << cut;
    }
  }
  EXPECT_FALSE(sha1_backend().empty());
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
