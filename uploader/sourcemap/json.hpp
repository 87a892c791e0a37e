#pragma once

#include "uploader/util/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace uploader::sourcemap {

// Malformed JSON; `offset` is the byte offset in the scanned text.
class JsonError : public Error {
public:
  JsonError(const std::string &message, std::size_t offset)
      : Error(message + " at byte " + std::to_string(offset)),
        m_offset(offset) {}
  std::size_t offset() const { return m_offset; }

private:
  std::size_t m_offset;
};

// A JSON string as it appears in the input: the bytes between the quotes.
struct JsonString {
  std::string_view raw;
  bool escaped = false;
  // Every escape is one serde_json also writes (no `\/`, no `\u`), so the
  // raw bytes are already what serialising the value gives.
  bool serde_escapes = true;

  // The decoded value (escapes resolved).
  std::string decode() const;
};

enum class JsonType { object, array, string, number, boolean, null };

// A strict (RFC 8259, serde_json-compatible) pull reader over a buffer.
// Nothing is copied: strings are returned as views into the buffer.
class JsonReader {
public:
  explicit JsonReader(std::string_view text, std::size_t pos = 0)
      : m_text(text), m_pos(pos) {}

  // Whether strings must be valid UTF-8 (on by default). serde_json does not
  // check strings it only skips, so sniffing can turn this off.
  void set_validate_utf8(bool validate) { m_validate_utf8 = validate; }

  JsonType peek_type();
  // Consumes `c` after optional whitespace; false if something else is next.
  bool consume(char c);
  void expect(char c);
  JsonString read_string();
  // Returns the number's text (validated).
  std::string_view read_number();
  bool read_bool();
  // Consumes `null` if next; false otherwise.
  bool consume_null();
  // Validates and skips one value of any type.
  void skip_value();
  // Object/array iteration helpers: call after '{' / '[' was consumed.
  // Returns false at the closing bracket (consumed), handles commas.
  bool next_member(bool &first, char close);
  // Requires only whitespace to remain.
  void expect_end();

  void skip_ws();
  std::size_t pos() const { return m_pos; }
  [[noreturn]] void fail(const std::string &message) const;
  [[noreturn]] void fail_at(const std::string &message, std::size_t at) const;

private:
  void skip_container(char close);

  std::string_view m_text;
  std::size_t m_pos;
  int m_depth = 0;
  bool m_validate_utf8 = true;
};

// Appends `value` as a JSON string the way serde_json writes it: `"` and `\`
// escaped, \b \f \n \r \t short forms, other control characters as \u00XX,
// everything else (including non-ASCII and `/`) raw.
void append_json_string(std::string &out, std::string_view value);
void append_json_string(std::string &out, const JsonString &value);

// serde_json's Display of a number value (as used for non-string `names`).
std::string json_number_to_string(std::string_view number);

} // namespace uploader::sourcemap
