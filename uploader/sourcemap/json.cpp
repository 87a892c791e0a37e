#include "uploader/sourcemap/json.hpp"

#include "uploader/util/strings.hpp"
#include "uploader/util/utf8.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace uploader::sourcemap {

namespace {

constexpr int k_max_depth = 128;

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

using util::hex_digit;

void append_utf8(std::string &out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

std::uint32_t read_hex4(std::string_view raw, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    value = value * 16 + static_cast<std::uint32_t>(hex_digit(raw[at + k]));
  }
  return value;
}

} // namespace

std::string JsonString::decode() const {
  if (!escaped) {
    return std::string(raw);
  }
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    char e = raw[++i];
    switch (e) {
    case 'b':
      out += '\b';
      break;
    case 'f':
      out += '\f';
      break;
    case 'n':
      out += '\n';
      break;
    case 'r':
      out += '\r';
      break;
    case 't':
      out += '\t';
      break;
    case 'u': {
      std::uint32_t cp = read_hex4(raw, i + 1);
      i += 4;
      if (cp >= 0xd800 && cp <= 0xdbff) {
        std::uint32_t low = read_hex4(raw, i + 3);
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i += 6;
      }
      append_utf8(out, cp);
      break;
    }
    default:
      out += e; // '"', '\\', '/'
      break;
    }
  }
  return out;
}

void JsonReader::fail(const std::string &message) const {
  fail_at(message, m_pos);
}

void JsonReader::fail_at(const std::string &message, std::size_t at) const {
  throw JsonError(message, at);
}

void JsonReader::skip_ws() {
  while (m_pos < m_text.size() && is_ws(m_text[m_pos])) {
    ++m_pos;
  }
}

JsonType JsonReader::peek_type() {
  skip_ws();
  if (m_pos >= m_text.size()) {
    fail("unexpected end of JSON");
  }
  switch (m_text[m_pos]) {
  case '{':
    return JsonType::object;
  case '[':
    return JsonType::array;
  case '"':
    return JsonType::string;
  case 't':
  case 'f':
    return JsonType::boolean;
  case 'n':
    return JsonType::null;
  default:
    if (m_text[m_pos] == '-' ||
        (m_text[m_pos] >= '0' && m_text[m_pos] <= '9')) {
      return JsonType::number;
    }
    fail("expected a JSON value");
  }
}

bool JsonReader::consume(char c) {
  skip_ws();
  if (m_pos < m_text.size() && m_text[m_pos] == c) {
    ++m_pos;
    return true;
  }
  return false;
}

void JsonReader::expect(char c) {
  if (!consume(c)) {
    if (m_pos >= m_text.size()) {
      fail(std::string("unexpected end of JSON, expected '") + c + "'");
    }
    fail(std::string("expected '") + c + "'");
  }
}

JsonString JsonReader::read_string() {
  skip_ws();
  if (m_pos >= m_text.size() || m_text[m_pos] != '"') {
    fail("expected a string");
  }
  std::size_t start = ++m_pos;
  bool escaped = false;
  bool serde_escapes = true;
  bool ascii = true;
  const char *data = m_text.data();
  std::size_t size = m_text.size();
  for (;;) {
    // Scan quickly to the next interesting byte, sixteen bytes at a time
    // (SSE2 is part of x86-64); the byte loop below handles the rest.
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i slash = _mm_set1_epi8('\\');
    const __m128i control_max = _mm_set1_epi8(0x1f);
    while (m_pos + 16 <= size) {
      __m128i chunk =
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + m_pos));
      __m128i special = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(chunk, quote),
                       _mm_cmpeq_epi8(chunk, slash)),
          _mm_cmpeq_epi8(_mm_max_epu8(chunk, control_max), control_max));
      auto special_mask = static_cast<unsigned>(_mm_movemask_epi8(special));
      auto high_mask = static_cast<unsigned>(_mm_movemask_epi8(chunk));
      if (special_mask != 0) {
        unsigned before = (special_mask & -special_mask) - 1;
        if ((high_mask & before) != 0) {
          ascii = false;
        }
        m_pos += static_cast<std::size_t>(std::countr_zero(special_mask));
        break;
      }
      if (high_mask != 0) {
        ascii = false;
      }
      m_pos += 16;
    }
#else
    // Scan quickly to the next interesting byte, eight bytes at a time.
    while (m_pos + 8 <= size) {
      std::uint64_t word = 0;
      std::memcpy(&word, data + m_pos, 8);
      constexpr std::uint64_t k_ones = 0x0101010101010101ull;
      constexpr std::uint64_t k_highs = 0x8080808080808080ull;
      std::uint64_t quote = word ^ (k_ones * '"');
      std::uint64_t slash = word ^ (k_ones * '\\');
      std::uint64_t special = ((quote - k_ones) & ~quote) |
                              ((slash - k_ones) & ~slash) |
                              ((word - k_ones * 0x20) & ~word);
      if ((special & k_highs) != 0) {
        break;
      }
      if ((word & k_highs) != 0) {
        ascii = false;
      }
      m_pos += 8;
    }
#endif
    while (m_pos < size) {
      auto byte = static_cast<unsigned char>(data[m_pos]);
      if (byte == '"' || byte == '\\' || byte < 0x20) {
        break;
      }
      if (byte >= 0x80) {
        ascii = false;
      }
      ++m_pos;
    }
    if (m_pos >= size) {
      fail_at("unterminated string", start - 1);
    }
    char c = data[m_pos];
    if (c == '"') {
      break;
    }
    if (c != '\\') {
      fail("control character in string");
    }
    escaped = true;
    if (m_pos + 1 >= size) {
      fail("unterminated string");
    }
    char e = data[m_pos + 1];
    serde_escapes = serde_escapes && e != 'u' && e != '/';
    if (e == 'u') {
      if (m_pos + 6 > size) {
        fail("bad \\u escape");
      }
      for (std::size_t k = 2; k < 6; ++k) {
        if (hex_digit(data[m_pos + k]) < 0) {
          fail("bad \\u escape");
        }
      }
      std::uint32_t cp = read_hex4(m_text, m_pos + 2);
      if (cp >= 0xdc00 && cp <= 0xdfff) {
        fail("lone trailing surrogate in \\u escape");
      }
      if (cp >= 0xd800 && cp <= 0xdbff) {
        bool paired = m_pos + 12 <= size && data[m_pos + 6] == '\\' &&
                      data[m_pos + 7] == 'u';
        if (paired) {
          for (std::size_t k = 8; k < 12; ++k) {
            paired = paired && hex_digit(data[m_pos + k]) >= 0;
          }
        }
        std::uint32_t low = paired ? read_hex4(m_text, m_pos + 8) : 0;
        if (!paired || low < 0xdc00 || low > 0xdfff) {
          fail("lone leading surrogate in \\u escape");
        }
        m_pos += 12;
      } else {
        m_pos += 6;
      }
    } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' ||
               e == 'n' || e == 'r' || e == 't') {
      m_pos += 2;
    } else {
      fail("invalid escape in string");
    }
  }
  std::string_view raw = m_text.substr(start, m_pos - start);
  if (!ascii && m_validate_utf8) {
    std::size_t bad = util::first_invalid_utf8(raw);
    if (bad != raw.size()) {
      fail_at("invalid UTF-8 in string", start + bad);
    }
  }
  ++m_pos;
  return JsonString{raw, escaped, serde_escapes};
}

std::string_view JsonReader::read_number() {
  skip_ws();
  std::size_t start = m_pos;
  auto digit_at = [&](std::size_t at) {
    return at < m_text.size() && m_text[at] >= '0' && m_text[at] <= '9';
  };
  if (m_pos < m_text.size() && m_text[m_pos] == '-') {
    ++m_pos;
  }
  if (!digit_at(m_pos)) {
    fail("invalid number");
  }
  if (m_text[m_pos] == '0') {
    ++m_pos;
  } else {
    while (digit_at(m_pos)) {
      ++m_pos;
    }
  }
  if (m_pos < m_text.size() && m_text[m_pos] == '.') {
    ++m_pos;
    if (!digit_at(m_pos)) {
      fail("invalid number");
    }
    while (digit_at(m_pos)) {
      ++m_pos;
    }
  }
  if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
    ++m_pos;
    if (m_pos < m_text.size() &&
        (m_text[m_pos] == '+' || m_text[m_pos] == '-')) {
      ++m_pos;
    }
    if (!digit_at(m_pos)) {
      fail("invalid number");
    }
    while (digit_at(m_pos)) {
      ++m_pos;
    }
  }
  return m_text.substr(start, m_pos - start);
}

bool JsonReader::read_bool() {
  skip_ws();
  if (m_text.substr(m_pos, 4) == "true") {
    m_pos += 4;
    return true;
  }
  if (m_text.substr(m_pos, 5) == "false") {
    m_pos += 5;
    return false;
  }
  fail("expected a boolean");
}

bool JsonReader::consume_null() {
  skip_ws();
  if (m_pos < m_text.size() && m_text[m_pos] == 'n') {
    if (m_text.substr(m_pos, 4) != "null") {
      fail("invalid literal");
    }
    m_pos += 4;
    return true;
  }
  return false;
}

bool JsonReader::next_member(bool &first, char close) {
  skip_ws();
  if (m_pos >= m_text.size()) {
    fail("unexpected end of JSON");
  }
  if (m_text[m_pos] == close) {
    ++m_pos;
    return false;
  }
  if (!first) {
    expect(',');
    skip_ws();
    if (m_pos < m_text.size() && m_text[m_pos] == close) {
      fail("trailing comma");
    }
  }
  first = false;
  return true;
}

void JsonReader::skip_container(char close) {
  if (++m_depth > k_max_depth) {
    fail("recursion limit exceeded");
  }
  ++m_pos;
  bool first = true;
  while (next_member(first, close)) {
    if (close == '}') {
      read_string();
      expect(':');
    }
    skip_value();
  }
  --m_depth;
}

void JsonReader::skip_value() {
  switch (peek_type()) {
  case JsonType::object:
    skip_container('}');
    break;
  case JsonType::array:
    skip_container(']');
    break;
  case JsonType::string:
    read_string();
    break;
  case JsonType::number:
    read_number();
    break;
  case JsonType::boolean:
    read_bool();
    break;
  case JsonType::null:
    consume_null();
    break;
  }
}

void JsonReader::expect_end() {
  skip_ws();
  if (m_pos != m_text.size()) {
    fail("trailing characters after JSON");
  }
}

namespace {

void append_escape(std::string &out, unsigned char c) {
  static constexpr char k_hex[] = "0123456789abcdef";
  switch (c) {
  case '"':
    out += "\\\"";
    break;
  case '\\':
    out += "\\\\";
    break;
  case '\b':
    out += "\\b";
    break;
  case '\f':
    out += "\\f";
    break;
  case '\n':
    out += "\\n";
    break;
  case '\r':
    out += "\\r";
    break;
  case '\t':
    out += "\\t";
    break;
  default:
    out += "\\u00";
    out += k_hex[c >> 4];
    out += k_hex[c & 0x0f];
    break;
  }
}

} // namespace

void append_json_string(std::string &out, std::string_view value) {
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    out.append(value.data() + run, i - run);
    run = i + 1;
    append_escape(out, c);
  }
  out.append(value.data() + run, value.size() - run);
  out += '"';
}

void append_json_string(std::string &out, const JsonString &value) {
  // Valid JSON text has no raw quote, backslash or control byte, so only the
  // escapes need translating into serde_json's forms.
  std::string_view raw = value.raw;
  out += '"';
  if (!value.escaped || value.serde_escapes) {
    out += raw;
    out += '"';
    return;
  }
  std::size_t pos = 0;
  for (;;) {
    const void *found = std::memchr(raw.data() + pos, '\\', raw.size() - pos);
    if (found == nullptr) {
      out.append(raw.data() + pos, raw.size() - pos);
      break;
    }
    std::size_t at =
        static_cast<std::size_t>(static_cast<const char *>(found) - raw.data());
    out.append(raw.data() + pos, at - pos);
    char e = raw[at + 1];
    pos = at + 2;
    if (e == '/') {
      out += '/';
      continue;
    }
    if (e != 'u') {
      out += '\\';
      out += e; // " \ b f n r t: serde_json writes the same short form
      continue;
    }
    std::uint32_t cp = read_hex4(raw, at + 2);
    pos = at + 6;
    if (cp >= 0xd800 && cp <= 0xdbff) {
      std::uint32_t low = read_hex4(raw, at + 8);
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      pos = at + 12;
    }
    if (cp < 0x20 || cp == '"' || cp == '\\') {
      append_escape(out, static_cast<unsigned char>(cp));
      continue;
    }
    append_utf8(out, cp);
  }
  out += '"';
}

namespace {

// ryu's layout (serde_json's) of the shortest digits that round-trip:
// "100000.0" below 1e16, "12.5" with the point in the first 16 digits,
// "0.00001" down to 1e-5, else "1e16" or "1.5e-7" (no '+', no padding).
std::string ryu_layout(double value) {
  std::string out;
  if (std::signbit(value)) {
    out += '-';
    value = -value;
  }
  if (value == 0) {
    return out + "0.0";
  }
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value,
                              std::chars_format::scientific);
  std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  std::size_t e = text.find('e');
  if (e == std::string_view::npos) {
    return out + std::string(text); // not finite
  }
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') {
      digits += c;
    }
  }
  const char *exponent_begin = text.data() + e + 1;
  if (*exponent_begin == '+') {
    ++exponent_begin;
  }
  int exponent = 0;
  std::from_chars(exponent_begin, text.data() + text.size(), exponent);
  int length = static_cast<int>(digits.size());
  int kk = exponent + 1; // 10^(kk-1) <= value < 10^kk
  if (kk >= length && kk <= 16) {
    out += digits;
    out.append(static_cast<std::size_t>(kk - length), '0');
    out += ".0";
  } else if (kk > 0 && kk <= 16) {
    out.append(digits, 0, static_cast<std::size_t>(kk));
    out += '.';
    out.append(digits, static_cast<std::size_t>(kk));
  } else if (kk > -5 && kk <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-kk), '0');
    out += digits;
  } else {
    out += digits[0];
    if (length > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += std::to_string(kk - 1);
  }
  return out;
}

} // namespace

std::string json_number_to_string(std::string_view number) {
  bool is_integer = number.find_first_of(".eE") == std::string_view::npos;
  if (is_integer) {
    if (number.front() == '-') {
      std::int64_t value = 0;
      auto result =
          std::from_chars(number.data(), number.data() + number.size(), value);
      // serde_json reads "-0" as the float -0.0.
      if (result.ec == std::errc() && value != 0) {
        return std::to_string(value);
      }
    } else {
      std::uint64_t value = 0;
      auto result =
          std::from_chars(number.data(), number.data() + number.size(), value);
      if (result.ec == std::errc()) {
        return std::to_string(value);
      }
    }
  }
  double value = 0;
  auto parsed =
      std::from_chars(number.data(), number.data() + number.size(), value);
  if (parsed.ec == std::errc::result_out_of_range) {
    // Too small for a double: serde_json reads a zero of the same sign. (Too
    // big, serde_json rejects the document.)
    value = number.front() == '-' ? -0.0 : 0.0;
  }
  return ryu_layout(value);
}

} // namespace uploader::sourcemap
