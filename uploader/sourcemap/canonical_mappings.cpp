#include "uploader/sourcemap/mappings.hpp"
#include "uploader/sourcemap/vlq.hpp"

#include <array>
#include <cstdint>

// The fast path of rewrite_mappings: checking that a `mappings` text is
// already what the encoder would write, without decoding it into tokens.

namespace uploader::sourcemap {

namespace {

// Reads one VLQ number at `p` (advanced past it) if it is written the way
// encode_vlq writes a difference of two u32 values: at most 7 digits, no
// superfluous high zero digit, no negative zero. False otherwise (also for
// anything invalid: the slow path then reports it).
[[gnu::always_inline]] inline bool
read_canonical_vlq(const char *&p, const char *end, std::int64_t &value) {
  if (p == end) {
    return false;
  }
  std::int8_t digit = k_vlq_digit_values[static_cast<unsigned char>(*p++)];
  if (digit < 0) {
    return false; // also an empty value: `,` or `;`
  }
  auto accumulated = static_cast<std::uint64_t>(digit & 31);
  if ((digit & 32) == 0) {
    if (accumulated == 1) {
      return false; // negative zero
    }
  } else {
    int shift = 5;
    do {
      if (p == end || shift > 30) {
        return false;
      }
      digit = k_vlq_digit_values[static_cast<unsigned char>(*p++)];
      if (digit < 0) {
        return false;
      }
      accumulated |= static_cast<std::uint64_t>(digit & 31) << shift;
      shift += 5;
    } while ((digit & 32) != 0);
    if ((digit & 31) == 0) {
      return false; // a superfluous high zero digit
    }
  }
  auto magnitude = static_cast<std::int64_t>(accumulated >> 1);
  value = (accumulated & 1) != 0 ? -magnitude : magnitude;
  return true;
}

// Adds `delta` to `value` if the result stays in [0, limit).
bool add_in_range(std::int64_t &value, std::int64_t delta, std::int64_t limit) {
  value += delta;
  return value >= 0 && value < limit;
}

} // namespace

bool is_canonical_for_edit(std::string_view mappings,
                           std::uint32_t source_count, std::uint32_t name_count,
                           const LineEdit *edit, std::size_t &insert_at) {
  constexpr std::int64_t k_u32_limit = 0xffffffffll; // u32 max is special
  if (edit != nullptr && (edit->split_col != 0 || !edit->has_tail)) {
    return false;
  }
  if (mappings.empty() || mappings.back() == ';') {
    return false; // the encoder writes no trailing empty line
  }
  const char *p = mappings.data();
  const char *end = p + mappings.size();
  std::int64_t src_id = 0;
  std::int64_t src_line = 0;
  std::int64_t src_col = 0;
  std::int64_t name_id = 0;
  std::int64_t last_token_line = -1;
  insert_at = std::string_view::npos;
  for (std::uint32_t line = 0;; ++line) {
    if (edit != nullptr && line == edit->split_line) {
      insert_at = static_cast<std::size_t>(p - mappings.data());
    }
    std::int64_t col = 0;
    int previous_count = 0;
    while (p != end && *p != ';') {
      if (previous_count > 0 && *p++ != ',') {
        return false;
      }
      // A segment has 1, 4 or 5 values; anything else is invalid.
      std::array<std::int64_t, 5> values{};
      auto at_separator = [&] { return p == end || *p == ',' || *p == ';'; };
      if (!read_canonical_vlq(p, end, values[0])) {
        return false;
      }
      int count = 1;
      if (!at_separator()) {
        if (!read_canonical_vlq(p, end, values[1]) || at_separator() ||
            !read_canonical_vlq(p, end, values[2]) || at_separator() ||
            !read_canonical_vlq(p, end, values[3])) {
          return false;
        }
        count = 4;
        if (!at_separator()) {
          if (!read_canonical_vlq(p, end, values[4]) || !at_separator()) {
            return false;
          }
          count = 5;
        }
      }
      if (values[0] < 0 || !add_in_range(col, values[0], k_u32_limit)) {
        return false; // invalid, or unsorted columns (the encoder sorts)
      }
      if (previous_count > 0 && values[0] == 0) {
        // Tokens at one column: the edit keeps only the last at column 0,
        // and the encoder writes identical neighbours once.
        bool same_source = values[1] == 0 && values[2] == 0 && values[3] == 0 &&
                           values[4] == 0;
        if ((edit != nullptr && col == 0) ||
            (count == previous_count && same_source)) {
          return false;
        }
      }
      if (count > 1 &&
          (!add_in_range(src_id, values[1], source_count) ||
           !add_in_range(src_line, values[2], k_u32_limit + 1) ||
           !add_in_range(src_col, values[3], k_u32_limit + 1) ||
           (count == 5 && !add_in_range(name_id, values[4], name_count)))) {
        return false;
      }
      previous_count = count;
    }
    if (previous_count > 0) {
      if (edit != nullptr && line >= edit->content_lines) {
        return false; // the edit drops tokens past the end of the file
      }
      last_token_line = line;
    }
    if (p == end) {
      break;
    }
    ++p;
  }
  if (last_token_line < 0) {
    return false;
  }
  // Without a token at or after the split, the edit inserts nothing.
  return edit == nullptr ||
         (insert_at != std::string_view::npos &&
          last_token_line >= static_cast<std::int64_t>(edit->split_line));
}

} // namespace uploader::sourcemap
