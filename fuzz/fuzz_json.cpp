// The strict JSON reader against nlohmann::json: every input is a document
// the reader accepts (a value, then only whitespace) exactly when
// nlohmann::json::accept accepts it, except for these intended differences,
// which the checks below single out precisely:
//
// - A UTF-8 byte order mark: nlohmann skips one at the start; the reader, as
//   serde_json, rejects it. With one, the reader must reject the input, and
//   it must accept the rest exactly when nlohmann accepts the whole.
// - Nesting deeper than 128: the reader, as serde_json, stops with
//   "recursion limit exceeded" at the 129th open bracket; nlohmann has no
//   limit. Such inputs are only checked to fail at a bracket that really is
//   the 129th level.
// - Numbers out of double range (1e400, 400 digits): nlohmann rejects them
//   ("number overflow", error 406); the reader checks only the syntax, as
//   serde_json does for values it skips. Each such number is replaced by
//   `null` before asking nlohmann (not by 0, which could run on into what
//   follows: `1e999e-3` is invalid, `0e-3` is not), and must be valid syntax
//   for the reader too.
// - A NUL byte: nlohmann ends the input at the first one (its lexer takes
//   '\0' for the end, for C strings; inside a string it is a control
//   character either way, so an error as at the end). The reader, as
//   serde_json, takes it as any other byte, which JSON never allows. With
//   one, the reader must reject the input, and it must accept what comes
//   before the first NUL exactly when nlohmann accepts the whole.
//
// Duplicate keys, lone surrogates, invalid UTF-8, control characters and
// the number grammar are all treated alike by both, so they are compared.
//
// For accepted documents the values must also agree: strings as decoded,
// numbers by value; json_number_to_string must give a JSON number of the same
// value; a string re-written by append_json_string(JsonString) must equal the
// decoded string written afresh.
#include "uploader/sourcemap/json.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace {

using uploader::sourcemap::JsonError;
using uploader::sourcemap::JsonReader;
using uploader::sourcemap::JsonString;
using uploader::sourcemap::JsonType;

constexpr std::string_view k_bom = "\xef\xbb\xbf";

// A failed property: say which, then crash for libFuzzer.
#define CHECK(condition)                                                       \
  do {                                                                         \
    if (!(condition)) {                                                        \
      std::fprintf(stderr, "fuzz_json: %s failed (line %d)\n", #condition,     \
                   __LINE__);                                                  \
      std::abort();                                                            \
    }                                                                          \
  } while (false)

// The reader's verdict on a whole document: nullopt if accepted.
std::optional<JsonError> read_document(std::string_view text) {
  try {
    JsonReader reader(text);
    reader.skip_value();
    reader.expect_end();
    return std::nullopt;
  } catch (const JsonError &error) {
    return error;
  }
}

// The nesting level of the bracket at `at`, counting the brackets outside
// strings before it (the reader found all of that valid).
std::size_t level_at(std::string_view text, std::size_t at) {
  std::size_t level = 1;
  bool in_string = false;
  for (std::size_t i = 0; i < at; ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++level;
    } else if (c == ']' || c == '}') {
      --level;
    }
  }
  return level;
}

// Records where nlohmann stopped, and why.
struct ErrorSax : nlohmann::json_sax<nlohmann::json> {
  int id = 0;
  std::size_t position = 0;
  std::string token;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t &) override { return true; }
  bool string(string_t &) override { return true; }
  bool binary(binary_t &) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t &) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t at, const std::string &last_token,
                   const nlohmann::detail::exception &ex) override {
    id = ex.id;
    position = at;
    token = last_token;
    return false;
  }
};

// `text` with every number nlohmann finds out of range replaced by null.
std::string without_overflowing_numbers(std::string text) {
  for (;;) {
    ErrorSax sax;
    if (nlohmann::json::sax_parse(text, &sax) || sax.id != 406) {
      return text;
    }
    // The position is just past the number; the token is its text.
    CHECK(sax.position >= sax.token.size() && sax.position <= text.size());
    std::size_t start = sax.position - sax.token.size();
    CHECK(text.compare(start, sax.token.size(), sax.token) == 0);
    // It must be a number the reader takes, in full.
    JsonReader reader(text, start);
    CHECK(reader.read_number() == sax.token);
    text.replace(start, sax.token.size(), "null");
  }
}

// Whether `display` is the value of `number`, bit for bit (so with the sign
// of a zero). A number too small for a double displays as a signed zero.
bool same_value(std::string_view number, std::string_view display) {
  double x = 0;
  double y = 0;
  auto rx = std::from_chars(number.data(), number.data() + number.size(), x);
  auto ry = std::from_chars(display.data(), display.data() + display.size(), y);
  if (ry.ec != std::errc() || ry.ptr != display.data() + display.size()) {
    return false;
  }
  if (rx.ec == std::errc::result_out_of_range) {
    x = number.front() == '-' ? -0.0 : 0.0;
  } else if (rx.ec != std::errc()) {
    return false;
  }
  return std::memcmp(&x, &y, sizeof(double)) == 0;
}

void check_string(const JsonString &value) {
  std::string decoded = value.decode();
  std::string fresh;
  uploader::sourcemap::append_json_string(fresh, decoded);
  std::string rewritten;
  uploader::sourcemap::append_json_string(rewritten, value);
  CHECK(rewritten == fresh);
  if (value.serde_escapes) {
    CHECK(fresh == "\"" + std::string(value.raw) + "\"");
  }
}

// Builds the value with the reader's own API (the document is known good,
// so at most 128 levels deep).
nlohmann::json build(JsonReader &reader) {
  switch (reader.peek_type()) {
  case JsonType::object: {
    reader.expect('{');
    nlohmann::json object = nlohmann::json::object();
    bool first = true;
    while (reader.next_member(first, '}')) {
      JsonString key = reader.read_string();
      check_string(key);
      reader.expect(':');
      object[key.decode()] = build(reader);
    }
    return object;
  }
  case JsonType::array: {
    reader.expect('[');
    nlohmann::json array = nlohmann::json::array();
    bool first = true;
    while (reader.next_member(first, ']')) {
      array.push_back(build(reader));
    }
    return array;
  }
  case JsonType::string: {
    JsonString value = reader.read_string();
    check_string(value);
    return value.decode();
  }
  case JsonType::number: {
    std::string_view number = reader.read_number();
    std::string display = uploader::sourcemap::json_number_to_string(number);
    std::optional<JsonError> error = read_document(display);
    CHECK(!error.has_value());
    CHECK(same_value(number, display));
    return nlohmann::json::parse(number);
  }
  case JsonType::boolean:
    return reader.read_bool();
  case JsonType::null:
    CHECK(reader.consume_null());
    return nullptr;
  }
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  std::string input(reinterpret_cast<const char *>(data), size);
  std::string text = without_overflowing_numbers(input);
  bool nlohmann_accepts = nlohmann::json::accept(text);

  // The reader must give the same verdict on the input as on the text with
  // the numbers replaced.
  std::optional<JsonError> on_input = read_document(input);
  std::optional<JsonError> error = read_document(text);
  CHECK(on_input.has_value() == error.has_value());

  std::string_view document = text;
  if (document.starts_with(k_bom)) {
    CHECK(error.has_value());
    document.remove_prefix(k_bom.size());
    error = read_document(document);
  }
  if (std::size_t nul = document.find('\0'); nul != std::string_view::npos) {
    CHECK(error.has_value());
    document = document.substr(0, nul);
    error = read_document(document);
  }
  if (error.has_value() && std::string_view(error->what())
                               .starts_with("recursion limit exceeded at ")) {
    std::size_t at = error->offset();
    CHECK(at < document.size() && (document[at] == '[' || document[at] == '{'));
    CHECK(level_at(document, at) == 129);
    return 0;
  }
  CHECK(error.has_value() != nlohmann_accepts);

  if (!error.has_value()) {
    JsonReader reader(document);
    nlohmann::json ours = build(reader);
    reader.expect_end();
    CHECK(ours == nlohmann::json::parse(document));
  }
  return 0;
}
