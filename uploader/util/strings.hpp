#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The one home of the small text helpers every layer uses, so that each
// rule (what counts as space, which bytes a URL keeps) is written once.
namespace uploader::util {

// Space, tab, CR and LF: what config files, command output and user input
// are trimmed of.
inline constexpr std::string_view k_blank = " \t\r\n";

// `text` without leading and trailing characters from `blank`.
std::string_view trim(std::string_view text, std::string_view blank = k_blank);

// The items with `separator` between them.
std::string join(const std::vector<std::string> &items,
                 std::string_view separator = ", ");

// The pieces of `text` between each `delimiter` (one piece for a text
// without one, an empty piece between two adjacent delimiters).
std::vector<std::string_view> split(std::string_view text, char delimiter);

// The lines of a text file: split at '\n', a '\r' before it dropped, and no
// empty last line for the file's final newline.
std::vector<std::string> split_lines(std::string_view text);

// `text` with ASCII letters lowercased (header names, URL schemes, month
// names: protocol text, never user prose).
std::string ascii_lower(std::string_view text);

// The value of one hexadecimal digit (either case), or -1.
int hex_digit(char c);

// An address as Sentry's frames write `instruction_addr`: "0x1a3".
std::string hex_address(std::uint64_t address);

// "0x1a3" (either case, at most 16 digits) as a number; nullopt for
// anything else.
std::optional<std::uint64_t> parse_hex_address(std::string_view text);

// Percent-encodes (uppercase hex) every byte for which `keep` is false.
template <typename Keep>
std::string percent_encode_keeping(std::string_view text, Keep keep) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    if (keep(ch)) {
      out += ch;
    } else {
      auto c = static_cast<unsigned char>(ch);
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 0xf];
    }
  }
  return out;
}

// `text` with every `%XX` (two hex digits) replaced by that byte; a `%`
// not followed by two hex digits stays as it is (file: URLs in source maps
// are written by many tools, not all of them careful).
std::string percent_decode(std::string_view text);

// Percent-encodes everything but ASCII letters, digits and the characters
// of `safe` (e.g. "-_.~", RFC 3986's unreserved ones).
std::string percent_encode(std::string_view text, std::string_view safe);

} // namespace uploader::util
