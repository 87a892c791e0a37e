#include "uploader/util/utf8.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

using namespace uploader::util;
using namespace std::string_view_literals;

namespace {

struct Utf8Case {
  std::string_view bytes;
  // Offset of the first invalid sequence; bytes.size() when valid.
  std::size_t first_invalid;
};

void PrintTo(const Utf8Case &c, std::ostream *os) {
  *os << '"';
  for (unsigned char b : c.bytes) {
    static constexpr char k_hex[] = "0123456789abcdef";
    *os << "\\x" << k_hex[b >> 4] << k_hex[b & 0x0f];
  }
  *os << '"';
}

class Utf8 : public ::testing::TestWithParam<Utf8Case> {};

TEST_P(Utf8, FindsTheFirstInvalidSequence) {
  const Utf8Case &c = GetParam();
  EXPECT_EQ(first_invalid_utf8(c.bytes), c.first_invalid);
  EXPECT_EQ(is_valid_utf8(c.bytes), c.first_invalid == c.bytes.size());
}

INSTANTIATE_TEST_SUITE_P(Utf8Ascii, Utf8,
                         ::testing::Values(Utf8Case{"", 0}, Utf8Case{"a", 1},
                                           Utf8Case{"hello, world", 12},
                                           Utf8Case{"\x7f", 1},
                                           Utf8Case{"\0"sv, 1},
                                           Utf8Case{"a\0b"sv, 3},
                                           Utf8Case{"\x01\x1f ~", 4}));

INSTANTIATE_TEST_SUITE_P(
    Utf8TwoBytes, Utf8,
    ::testing::Values(Utf8Case{"\xc2\x80", 2},    // U+0080
                      Utf8Case{"\xdf\xbf", 2},    // U+07FF
                      Utf8Case{"caf\xc3\xa9", 5}, // é
                      Utf8Case{"\xc0\x80", 0},    // overlong NUL
                      Utf8Case{"\xc0\xaf", 0},    // overlong '/'
                      Utf8Case{"\xc1\xbf", 0},    // overlong U+007F
                      Utf8Case{"\xc3", 0},        // truncated
                      Utf8Case{"ab\xc3", 2},      // truncated at the end
                      Utf8Case{"\xc3"
                               "a",
                               0},                   // not a continuation
                      Utf8Case{"\xc3\xc3\xa9", 0},   // lead as continuation
                      Utf8Case{"\xc3\xa9\xc3", 2})); // second one cut

INSTANTIATE_TEST_SUITE_P(
    Utf8ThreeBytes, Utf8,
    ::testing::Values(Utf8Case{"\xe0\xa0\x80", 3}, // U+0800
                      Utf8Case{"\xe2\x82\xac", 3}, // €
                      Utf8Case{"\xed\x9f\xbf", 3}, // U+D7FF
                      Utf8Case{"\xee\x80\x80", 3}, // U+E000
                      Utf8Case{"\xef\xbf\xbf", 3}, // U+FFFF
                      Utf8Case{"\xe0\x80\x80", 0}, // overlong NUL
                      Utf8Case{"\xe0\x9f\xbf", 0}, // overlong U+07FF
                      Utf8Case{"\xed\xa0\x80", 0}, // U+D800
                      Utf8Case{"\xed\xbf\xbf", 0}, // U+DFFF
                      Utf8Case{"\xed\xa0\x80\xed\xb0\x80", 0}, // CESU pair
                      Utf8Case{"\xe2\x82", 0},                 // truncated
                      Utf8Case{"x\xe2", 1},                    // truncated
                      Utf8Case{"\xe2\x28\xac", 0},   // bad second byte
                      Utf8Case{"\xe2\x82\x28", 0},   // bad third byte
                      Utf8Case{"\xe2\x82\xc0", 0})); // third byte too big

INSTANTIATE_TEST_SUITE_P(
    Utf8FourBytes, Utf8,
    ::testing::Values(Utf8Case{"\xf0\x90\x80\x80", 4}, // U+10000
                      Utf8Case{"\xf0\x9f\x98\x80", 4}, // 😀
                      Utf8Case{"\xf4\x8f\xbf\xbf", 4}, // U+10FFFF
                      Utf8Case{"\xf0\x80\x80\x80", 0}, // overlong NUL
                      Utf8Case{"\xf0\x8f\xbf\xbf", 0}, // overlong U+FFFF
                      Utf8Case{"\xf0\x9f\x98", 0},     // truncated
                      Utf8Case{"\xf0\x9f", 0},         // truncated
                      Utf8Case{"ok\xf0", 2},           // truncated
                      Utf8Case{"\xf0\x28\x98\x80", 0}, // bad second byte
                      Utf8Case{"\xf0\x9f\x28\x80", 0}, // bad third byte
                      Utf8Case{"\xf0\x9f\x98\x28", 0}  // bad fourth byte
                      ));

// Above U+10FFFF, and bytes that never start a sequence.
INSTANTIATE_TEST_SUITE_P(
    Utf8OutOfRange, Utf8,
    ::testing::Values(Utf8Case{"\xf4\x90\x80\x80", 0}, // U+110000
                      Utf8Case{"\xf5\x80\x80\x80", 0},
                      Utf8Case{"\xf7\xbf\xbf\xbf", 0},
                      Utf8Case{"\xf8\x88\x80\x80\x80", 0},     // 5-byte form
                      Utf8Case{"\xfc\x84\x80\x80\x80\x80", 0}, // 6-byte
                      Utf8Case{"\xfe", 0}, Utf8Case{"\xff", 0},
                      Utf8Case{"\x80", 0}, // lone continuation
                      Utf8Case{"\xbf", 0}, Utf8Case{"a\xbf", 1},
                      Utf8Case{"caf\xc3\xa9\xff", 5},
                      Utf8Case{"a\xff\xfe", 1}));

// The scan skips ASCII eight and thirty-two bytes at a time: what sits where
// in a long text must be found all the same.
TEST(Utf8Scan, FindsAnInvalidByteAtEveryPosition) {
  for (std::size_t at = 0; at < 80; ++at) {
    for (char bad : {'\x80', '\xff', '\xc0'}) {
      std::string text(100, 'a');
      text[at] = bad;
      EXPECT_EQ(first_invalid_utf8(text), at) << "at " << at;
      EXPECT_FALSE(is_valid_utf8(text));
    }
  }
}

TEST(Utf8Scan, AcceptsASequenceAcrossEveryBoundary) {
  for (std::string_view sequence :
       {"\xc3\xa9"sv, "\xe2\x82\xac"sv, "\xf0\x9f\x98\x80"sv}) {
    for (std::size_t at = 0; at < 80; ++at) {
      std::string text(80, 'a');
      text.insert(at, sequence);
      EXPECT_EQ(first_invalid_utf8(text), text.size()) << "at " << at;
      EXPECT_TRUE(is_valid_utf8(text));
    }
  }
}

TEST(Utf8Scan, FindsASequenceCutAtTheEnd) {
  for (std::size_t length = 0; length < 80; ++length) {
    std::string text(length, 'a');
    text += "\xf0\x9f\x98";
    EXPECT_EQ(first_invalid_utf8(text), length);
  }
}

TEST(Utf8Scan, FindsTheFirstOfSeveral) {
  std::string text(50, 'a');
  text += "\xc3\xa9";
  text += "\xed\xa0\x80"; // a surrogate at 52
  text += std::string(40, 'b');
  text += "\xff";
  EXPECT_EQ(first_invalid_utf8(text), 52u);
  // A view, not the whole buffer: past the first error, the second.
  EXPECT_EQ(first_invalid_utf8(std::string_view(text).substr(55)), 40u);
}

} // namespace
