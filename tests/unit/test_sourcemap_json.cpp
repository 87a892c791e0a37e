#include "uploader/sourcemap/json.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

using namespace uploader::sourcemap;
using namespace std::string_view_literals;

namespace {

// Reads one whole document as the source map parser does: a value, then
// nothing but whitespace.
std::optional<JsonError> document_error(std::string_view text) {
  try {
    JsonReader reader(text);
    reader.skip_value();
    reader.expect_end();
    return std::nullopt;
  } catch (const JsonError &error) {
    return error;
  }
}

std::string nested(std::string_view open, std::string_view close,
                   std::size_t depth) {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) {
    out += open;
  }
  for (std::size_t i = 0; i < depth; ++i) {
    out += close;
  }
  return out;
}

class JsonValid : public ::testing::TestWithParam<std::string_view> {};

TEST_P(JsonValid, IsAccepted) {
  auto error = document_error(GetParam());
  EXPECT_FALSE(error.has_value()) << error->what();
}

INSTANTIATE_TEST_SUITE_P(
    JsonDocuments, JsonValid,
    ::testing::Values(
        "{}"sv, "[]"sv, "\"\""sv, "\"x\""sv, "0"sv, "-0"sv, "7"sv, "-12"sv,
        "1.5"sv, "-0.0e-0"sv, "1E5"sv, "1e+10"sv, "2.5E-3"sv,
        "123456789012345678901234567890"sv, "1e400"sv, "true"sv, "false"sv,
        "null"sv, " \t\r\n{ \"a\" : [ 1 , 2 ] }\n"sv, "[[],{},[{}]]"sv,
        R"({"version":3,"sources":["a.js"],"names":[],"mappings":";AAAA"})"sv,
        R"({"a":1,"a":2})"sv, // duplicate keys: no check at this level
        R"(["\"\\\/\b\f\n\r\t"])"sv, R"(["\u0000\u001f\u00e9\uFFFF"])"sv,
        R"(["\ud83d\ude00"])"sv,
        "[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"]"sv, "\"\x7f\""sv,
        "\"\xef\xbf\xbf\""sv, "\"\xf4\x8f\xbf\xbf\""sv));

struct Malformed {
  std::string_view text;
  std::string_view message;
  std::size_t offset;
};

void PrintTo(const Malformed &m, std::ostream *os) {
  *os << "'" << m.text << "'";
}

class JsonMalformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(JsonMalformed, IsRejectedWhereItGoesWrong) {
  const Malformed &m = GetParam();
  auto error = document_error(m.text);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(std::string(error->what()),
            std::string(m.message) + " at byte " + std::to_string(m.offset));
  EXPECT_EQ(error->offset(), m.offset);
}

INSTANTIATE_TEST_SUITE_P(
    JsonStructure, JsonMalformed,
    ::testing::Values(Malformed{"", "unexpected end of JSON", 0},
                      Malformed{"   ", "unexpected end of JSON", 3},
                      Malformed{"[1,]", "trailing comma", 3},
                      Malformed{R"({"a":1,})", "trailing comma", 7},
                      Malformed{"[1 2]", "expected ','", 3},
                      Malformed{"[,1]", "expected a JSON value", 1},
                      Malformed{R"({"a" 1})", "expected ':'", 5},
                      Malformed{R"({"a")",
                                "unexpected end of JSON, expected ':'", 4},
                      Malformed{"{1:2}", "expected a string", 1},
                      Malformed{"{'a':2}", "expected a string", 1},
                      Malformed{R"({"a":})", "expected a JSON value", 5},
                      Malformed{"[1", "unexpected end of JSON", 2},
                      Malformed{"{", "unexpected end of JSON", 1},
                      Malformed{"]", "expected a JSON value", 0},
                      Malformed{"'a'", "expected a JSON value", 0},
                      Malformed{"// c\n1", "expected a JSON value", 0},
                      Malformed{"[1/*x*/]", "expected ','", 2}));

INSTANTIATE_TEST_SUITE_P(
    JsonTrailingGarbage, JsonMalformed,
    ::testing::Values(
        Malformed{"{} x", "trailing characters after JSON", 3},
        Malformed{"1 2", "trailing characters after JSON", 2},
        Malformed{R"("a""b")", "trailing characters after JSON", 3},
        Malformed{"{}}", "trailing characters after JSON", 2},
        Malformed{"[]\0"sv, "trailing characters after JSON", 2}));

// Only space, tab, LF and CR are whitespace; a BOM is not skipped.
INSTANTIATE_TEST_SUITE_P(
    JsonWhitespace, JsonMalformed,
    ::testing::Values(Malformed{"\xef\xbb\xbf{}", "expected a JSON value", 0},
                      Malformed{"\f1", "expected a JSON value", 0},
                      Malformed{"\v1", "expected a JSON value", 0},
                      Malformed{"\xc2\xa0"
                                "1",
                                "expected a JSON value", 0},
                      Malformed{"[1]\f", "trailing characters after JSON", 3}));

INSTANTIATE_TEST_SUITE_P(
    JsonLiterals, JsonMalformed,
    ::testing::Values(Malformed{"tru", "expected a boolean", 0},
                      Malformed{"t", "expected a boolean", 0},
                      Malformed{"fals", "expected a boolean", 0},
                      Malformed{"nul", "invalid literal", 0},
                      Malformed{"nULL", "invalid literal", 0},
                      Malformed{"True", "expected a JSON value", 0},
                      Malformed{"None", "expected a JSON value", 0},
                      Malformed{"nulll", "trailing characters after JSON", 4},
                      Malformed{"falsey", "trailing characters after JSON",
                                5}));

INSTANTIATE_TEST_SUITE_P(
    JsonNumbers, JsonMalformed,
    ::testing::Values(Malformed{"01", "trailing characters after JSON", 1},
                      Malformed{"00", "trailing characters after JSON", 1},
                      Malformed{"-01", "trailing characters after JSON", 2},
                      Malformed{"[01]", "expected ','", 2},
                      Malformed{"0x10", "trailing characters after JSON", 1},
                      Malformed{"1.", "invalid number", 2},
                      Malformed{"1.e5", "invalid number", 2},
                      Malformed{"-", "invalid number", 1},
                      Malformed{"-a", "invalid number", 1},
                      Malformed{"1e", "invalid number", 2},
                      Malformed{"1e+", "invalid number", 3},
                      Malformed{"1E-x", "invalid number", 3},
                      Malformed{".5", "expected a JSON value", 0},
                      Malformed{"+1", "expected a JSON value", 0},
                      Malformed{"Infinity", "expected a JSON value", 0},
                      Malformed{"-Infinity", "invalid number", 1},
                      Malformed{"NaN", "expected a JSON value", 0},
                      Malformed{"1.5.2", "trailing characters after JSON", 3}));

INSTANTIATE_TEST_SUITE_P(
    JsonStrings, JsonMalformed,
    ::testing::Values(Malformed{R"("abc)", "unterminated string", 0},
                      Malformed{R"(["abc)", "unterminated string", 1},
                      Malformed{R"("abc\")", "unterminated string", 0},
                      Malformed{"\"abc\\", "unterminated string", 4},
                      Malformed{R"("\x")", "invalid escape in string", 1},
                      Malformed{R"("\'")", "invalid escape in string", 1},
                      Malformed{R"("\U0041")", "invalid escape in string", 1},
                      Malformed{R"("ab\0")", "invalid escape in string", 3},
                      Malformed{R"("\u12")", "bad \\u escape", 1},
                      Malformed{R"("\u12g4")", "bad \\u escape", 1},
                      Malformed{R"("\u")", "bad \\u escape", 1},
                      Malformed{"\"a\tb\"", "control character in string", 2},
                      Malformed{"\"a\nb\"", "control character in string", 2},
                      Malformed{"\"\0\""sv, "control character in string", 1},
                      Malformed{"\"\x1f\"", "control character in string", 1}));

// A \u escape of a UTF-16 surrogate must be a high one followed directly by
// an escaped low one.
INSTANTIATE_TEST_SUITE_P(
    JsonSurrogates, JsonMalformed,
    ::testing::Values(
        Malformed{R"("\ud800")", "lone leading surrogate in \\u escape", 1},
        Malformed{R"("\uDBFF")", "lone leading surrogate in \\u escape", 1},
        Malformed{R"("ab\ud800x")", "lone leading surrogate in \\u escape", 3},
        Malformed{R"("\ud800\u0041")", "lone leading surrogate in \\u escape",
                  1},
        Malformed{R"("\ud800\ud800")", "lone leading surrogate in \\u escape",
                  1},
        Malformed{R"("\ud800\udc0")", "lone leading surrogate in \\u escape",
                  1},
        Malformed{R"("\ud800\\udc00")", "lone leading surrogate in \\u escape",
                  1},
        Malformed{R"("\udc00")", "lone trailing surrogate in \\u escape", 1},
        Malformed{R"("\uDFFF\ud800")", "lone trailing surrogate in \\u escape",
                  1},
        Malformed{R"("\ud83d\ude00\ude00")",
                  "lone trailing surrogate in \\u escape", 13}));

// Strings must be UTF-8 as Rust's str is; the offset is the bad sequence's.
INSTANTIATE_TEST_SUITE_P(
    JsonUtf8, JsonMalformed,
    ::testing::Values(
        Malformed{"\"\xff\"", "invalid UTF-8 in string", 1},
        Malformed{"\"ab\xc3\"", "invalid UTF-8 in string", 3},
        Malformed{"\"\xc0\xaf\"", "invalid UTF-8 in string", 1},
        Malformed{"\"\xed\xa0\x80\"", "invalid UTF-8 in string", 1},
        Malformed{"\"\xf4\x90\x80\x80\"", "invalid UTF-8 in string", 1},
        Malformed{"[\"ok\", \"x\\n\x80\"]", "invalid UTF-8 in string", 11},
        Malformed{"\xc3\xa9", "expected a JSON value", 0}));

TEST(JsonDepth, AllowsOneHundredAndTwentyEightLevels) {
  EXPECT_FALSE(document_error(nested("[", "]", 128)).has_value());
  std::string objects;
  for (int i = 0; i < 128; ++i) {
    objects += "{\"a\":";
  }
  objects += "null" + std::string(128, '}');
  EXPECT_FALSE(document_error(objects).has_value());
  // Depth is the nesting, not the number of containers.
  std::string siblings =
      "[" + nested("[", "]", 127) + "," + nested("[", "]", 127) + "]";
  EXPECT_FALSE(document_error(siblings).has_value());
}

TEST(JsonDepth, RejectsTheHundredAndTwentyNinthLevel) {
  auto error = document_error(nested("[", "]", 129));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(std::string(error->what()), "recursion limit exceeded at byte 128");

  std::string objects;
  for (int i = 0; i < 129; ++i) {
    objects += "{\"a\":";
  }
  objects += "1";
  for (int i = 0; i < 129; ++i) {
    objects += "}";
  }
  error = document_error(objects);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->offset(), 128u * 5u);
}

// The string scanner skips sixteen (or eight) bytes at a time; whatever
// lands where in a long string must be found all the same.
TEST(JsonStringScan, FindsEachSpecialByteAtEveryPosition) {
  for (std::size_t at = 0; at < 40; ++at) {
    SCOPED_TRACE("at " + std::to_string(at));
    std::string body(40, 'a');

    std::string control = body;
    control[at] = '\x01';
    auto error = document_error("\"" + control + "\"");
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(std::string(error->what()),
              "control character in string at byte " + std::to_string(at + 1));

    std::string bad_utf8 = body;
    bad_utf8[at] = '\xff';
    error = document_error("\"" + bad_utf8 + "\"");
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(std::string(error->what()),
              "invalid UTF-8 in string at byte " + std::to_string(at + 1));

    std::string escaped = body.substr(0, at) + "\\n" + body.substr(at);
    std::string text = "\"" + escaped + "\"";
    JsonReader reader(text);
    JsonString value = reader.read_string();
    EXPECT_TRUE(value.escaped);
    EXPECT_EQ(value.decode(), body.substr(0, at) + "\n" + body.substr(at));
    EXPECT_EQ(reader.pos(), text.size());

    std::string accented = body.substr(0, at) + "\xc3\xa9" + body.substr(at);
    text = "\"" + accented + "\"";
    JsonReader accented_reader(text);
    EXPECT_EQ(accented_reader.read_string().raw, accented);

    std::string quoted = body;
    quoted.insert(at, "\"");
    // The quote ends the string: what follows is trailing garbage.
    error = document_error("\"" + quoted + "\"");
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->offset(), at + 2);
  }
}

TEST(JsonReader, PeekTypeNamesTheNextValue) {
  struct Case {
    std::string_view text;
    JsonType type;
  };
  for (const Case &c : std::vector<Case>{{"  {", JsonType::object},
                                         {"[", JsonType::array},
                                         {"\"", JsonType::string},
                                         {"-", JsonType::number},
                                         {"0", JsonType::number},
                                         {"9", JsonType::number},
                                         {"t", JsonType::boolean},
                                         {"f", JsonType::boolean},
                                         {"n", JsonType::null}}) {
    JsonReader reader(c.text);
    EXPECT_EQ(reader.peek_type(), c.type) << c.text;
  }
  JsonReader reader("  x");
  EXPECT_THROW(reader.peek_type(), JsonError);
}

TEST(JsonReader, ReadStringReturnsAViewIntoTheBuffer) {
  std::string text = R"(  "plain" "a\nb" "x\/y" "\u00e9")";
  JsonReader reader(text);

  JsonString plain = reader.read_string();
  EXPECT_EQ(plain.raw, "plain");
  EXPECT_EQ(plain.raw.data(), text.data() + 3);
  EXPECT_FALSE(plain.escaped);
  EXPECT_TRUE(plain.serde_escapes);
  EXPECT_EQ(plain.decode(), "plain");
  EXPECT_EQ(reader.pos(), 9u);

  JsonString newline = reader.read_string();
  EXPECT_EQ(newline.raw, R"(a\nb)");
  EXPECT_TRUE(newline.escaped);
  EXPECT_TRUE(newline.serde_escapes);
  EXPECT_EQ(newline.decode(), "a\nb");

  JsonString slash = reader.read_string();
  EXPECT_EQ(slash.raw, R"(x\/y)");
  EXPECT_TRUE(slash.escaped);
  EXPECT_FALSE(slash.serde_escapes);
  EXPECT_EQ(slash.decode(), "x/y");

  JsonString unicode = reader.read_string();
  EXPECT_FALSE(unicode.serde_escapes);
  EXPECT_EQ(unicode.decode(), "\xc3\xa9");
  reader.expect_end();
}

TEST(JsonReader, DecodeResolvesEveryEscape) {
  struct Case {
    std::string_view json;
    std::string_view decoded;
  };
  for (const Case &c :
       std::vector<Case>{{R"("\"\\\/")", "\"\\/"},
                         {R"("\b\f\n\r\t")", "\b\f\n\r\t"},
                         {R"("\u0041\u0000z")", "A\0z"sv},
                         {R"("\u007f\u0080")", "\x7f\xc2\x80"},
                         {R"("\u07FF\u0800")", "\xdf\xbf\xe0\xa0\x80"},
                         {R"("\u20AC\uffff")", "\xe2\x82\xac\xef\xbf\xbf"},
                         {R"("\ud800\udc00")", "\xf0\x90\x80\x80"},
                         {R"("\uD83D\uDE00!")", "\xf0\x9f\x98\x80!"},
                         {R"("\udbff\udfff")", "\xf4\x8f\xbf\xbf"}}) {
    JsonReader reader(c.json);
    EXPECT_EQ(reader.read_string().decode(), c.decoded) << c.json;
  }
}

TEST(JsonReader, ReadsScalars) {
  JsonReader reader(" -12.5e+3 true false null 0");
  EXPECT_EQ(reader.read_number(), "-12.5e+3");
  EXPECT_TRUE(reader.read_bool());
  EXPECT_FALSE(reader.read_bool());
  EXPECT_TRUE(reader.consume_null());
  EXPECT_FALSE(reader.consume_null()); // a number is next, left alone
  EXPECT_EQ(reader.read_number(), "0");
  reader.expect_end();

  JsonReader not_bool("null");
  EXPECT_THROW(not_bool.read_bool(), JsonError);
  JsonReader not_number("\"1\"");
  EXPECT_THROW(not_number.read_number(), JsonError);
  JsonReader not_string("1");
  EXPECT_THROW(not_string.read_string(), JsonError);
}

TEST(JsonReader, IteratesObjectsAndArrays) {
  std::string text = R"({"a": [1, 2], "b": {}, "c": "x"})";
  JsonReader reader(text);
  reader.expect('{');
  std::vector<std::string> keys;
  std::vector<std::string> numbers;
  bool first = true;
  while (reader.next_member(first, '}')) {
    keys.push_back(reader.read_string().decode());
    reader.expect(':');
    if (keys.back() == "a") {
      reader.expect('[');
      bool first_item = true;
      while (reader.next_member(first_item, ']')) {
        numbers.emplace_back(reader.read_number());
      }
    } else {
      reader.skip_value();
    }
  }
  reader.expect_end();
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(numbers, (std::vector<std::string>{"1", "2"}));
}

TEST(JsonReader, ConsumeAndExpect) {
  JsonReader reader("  [ ]");
  EXPECT_FALSE(reader.consume('{'));
  EXPECT_EQ(reader.pos(), 2u); // whitespace skipped, nothing consumed
  EXPECT_TRUE(reader.consume('['));
  try {
    reader.expect(',');
    FAIL() << "expect(',') accepted ']'";
  } catch (const JsonError &error) {
    EXPECT_EQ(std::string(error.what()), "expected ',' at byte 4");
  }
  reader.expect(']');
  try {
    reader.expect(']');
    FAIL() << "expect(']') accepted the end";
  } catch (const JsonError &error) {
    EXPECT_EQ(std::string(error.what()),
              "unexpected end of JSON, expected ']' at byte 5");
  }
}

TEST(JsonReader, StartsAtTheGivenOffset) {
  std::string text = ")]}'\n{\"a\":1}";
  JsonReader reader(text, 5);
  EXPECT_EQ(reader.peek_type(), JsonType::object);
  reader.skip_value();
  reader.expect_end();
  EXPECT_EQ(reader.pos(), text.size());
}

TEST(JsonReader, Utf8CheckCanBeTurnedOff) {
  std::string text = "[\"\xff\xfe\", \"\xed\xa0\x80\"]";
  EXPECT_TRUE(document_error(text).has_value());
  JsonReader reader(text);
  reader.set_validate_utf8(false);
  reader.skip_value();
  reader.expect_end();
  // Escapes, controls and structure are still checked.
  JsonReader lenient("\"\xff\t\"");
  lenient.set_validate_utf8(false);
  EXPECT_THROW(lenient.read_string(), JsonError);
}

TEST(JsonReader, FailReportsTheCurrentOrGivenOffset) {
  JsonReader reader("  x");
  reader.skip_ws();
  try {
    reader.fail("custom");
    FAIL();
  } catch (const JsonError &error) {
    EXPECT_EQ(std::string(error.what()), "custom at byte 2");
    EXPECT_EQ(error.offset(), 2u);
  }
  try {
    reader.fail_at("elsewhere", 7);
    FAIL();
  } catch (const JsonError &error) {
    EXPECT_EQ(error.offset(), 7u);
  }
}

TEST(JsonWrite, AppendsAStringTheWaySerdeJsonWritesIt) {
  struct Case {
    std::string_view value;
    std::string_view json;
  };
  for (const Case &c : std::vector<Case>{
           {"", R"("")"},
           {"plain/text", R"("plain/text")"},
           {"q\"b\\", R"("q\"b\\")"},
           {"\b\f\n\r\t", R"("\b\f\n\r\t")"},
           {"\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\""},
           {"\0"sv, R"("\u0000")"},
           {"\x0b\x1b", R"("\u000b\u001b")"},
           {"caf\xc3\xa9 \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\""},
       }) {
    std::string out = "prefix:";
    append_json_string(out, c.value);
    EXPECT_EQ(out, "prefix:" + std::string(c.json));
  }
}

TEST(JsonWrite, ReEscapesAReadStringInSerdeJsonsForms) {
  struct Case {
    std::string_view read;
    std::string_view written;
  };
  for (const Case &c : std::vector<Case>{
           {R"("plain")", R"("plain")"},
           {R"("a\nb\"c\\d\t")", R"("a\nb\"c\\d\t")"},
           {R"("a\/b")", R"("a/b")"},
           {R"("\u0041\u00e9")", "\"A\xc3\xa9\""},
           {R"("\u0000\u001F")", R"("\u0000\u001f")"},
           {R"("\u0008\u000a\u0022\u005c")", R"("\b\n\"\\")"},
           {R"("\u007f")", "\"\x7f\""},
           {R"("\ud83d\ude00\/")", "\"\xf0\x9f\x98\x80/\""},
       }) {
    JsonReader reader(c.read);
    JsonString value = reader.read_string();
    std::string out;
    append_json_string(out, value);
    EXPECT_EQ(out, c.written) << c.read;
    // The same as writing the decoded value.
    std::string from_decoded;
    append_json_string(from_decoded, value.decode());
    EXPECT_EQ(out, from_decoded) << c.read;
  }
}

TEST(JsonWrite, NumbersAsSerdeJsonDisplaysThem) {
  struct Case {
    std::string_view number;
    std::string_view display;
  };
  for (const Case &c : std::vector<Case>{
           // Integers that fit u64 / i64 stay integers.
           {"0", "0"},
           {"42", "42"},
           {"-7", "-7"},
           {"18446744073709551615", "18446744073709551615"},
           {"-9223372036854775808", "-9223372036854775808"},
           // Beyond them, and "-0", are floats.
           {"18446744073709551616", "1.8446744073709552e19"},
           {"-9223372036854775809", "-9.223372036854776e18"},
           {"-0", "-0.0"},
           // Floats in ryu's layout.
           {"0.0", "0.0"},
           {"-0.0", "-0.0"},
           {"1.0", "1.0"},
           {"1.5", "1.5"},
           {"-2.25", "-2.25"},
           {"1e3", "1000.0"},
           {"1E5", "100000.0"},
           {"123.456", "123.456"},
           {"1e15", "1000000000000000.0"},
           {"1.5e15", "1500000000000000.0"},
           {"1234567890123.5", "1234567890123.5"},
           {"1e16", "1e16"},
           {"1.25e16", "1.25e16"},
           {"1e21", "1e21"},
           {"0.1", "0.1"},
           {"0.0001", "0.0001"},
           {"1e-5", "0.00001"},
           {"1.5e-5", "0.000015"},
           {"1e-6", "1e-6"},
           {"1.5e-7", "1.5e-7"},
           {"-1.5e-7", "-1.5e-7"},
           {"1.7976931348623157e308", "1.7976931348623157e308"},
           {"5e-324", "5e-324"},
           // Below the smallest double: a zero of the same sign.
           {"1e-400", "0.0"},
           {"-1e-400", "-0.0"},
           {"-0.1e-999", "-0.0"},
           {"0.30000000000000004", "0.30000000000000004"},
       }) {
    EXPECT_EQ(json_number_to_string(c.number), c.display) << c.number;
  }
}

} // namespace
