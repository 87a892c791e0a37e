#pragma once

#include "uploader/util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::sourcemap {

// Output written through a flush callback is handed on in pieces of about
// this size (the rewritten mappings and the maps that hold them).
inline constexpr std::size_t k_flush_size = 256 << 10;

constexpr std::uint32_t k_no_value = 0xffffffffu;

// One decoded mapping segment (0-based positions). `src_id`/`name_id` are
// k_no_value when the segment has no source/name.
struct Token {
  std::uint32_t dst_line = 0;
  std::uint32_t dst_col = 0;
  std::uint32_t src_line = k_no_value;
  std::uint32_t src_col = k_no_value;
  std::uint32_t src_id = k_no_value;
  std::uint32_t name_id = k_no_value;

  friend bool operator==(const Token &, const Token &) = default;
};

// Invalid `mappings`; `offset` is the byte offset inside the string.
class MappingsError : public Error {
public:
  MappingsError(const std::string &message, std::size_t offset)
      : Error(message + " at offset " + std::to_string(offset) +
              " of \"mappings\""),
        m_offset(offset) {}
  std::size_t offset() const { return m_offset; }

private:
  std::size_t m_offset;
};

// How inserting the debug-id snippet (placement strategy A) moves the lines
// of the JS file, described on the original file:
//  - `content_lines`: lines of the original that hold at least one byte;
//    tokens on later lines are dropped (nothing in the edited file maps
//    there, exactly as rust-sourcemap's adjust_mappings does);
//  - the snippet goes at (`split_line`, `split_col`); when `has_tail` the
//    rest of the file moves down by `inserted_lines`, and the rest of
//    `split_line` from `split_col` on starts at column 0.
struct LineEdit {
  std::uint32_t content_lines = k_no_value;
  std::uint32_t split_line = 0;
  std::uint32_t split_col = 0;
  bool has_tail = false;
  std::uint32_t inserted_lines = 2;
};

// Returns the edit for inserting a snippet that spans `inserted_lines` line
// breaks at byte `offset` of `js`.
LineEdit line_edit_for_insert(std::string_view js, std::size_t offset,
                              std::uint32_t inserted_lines = 2);

// Decodes `mappings` line by line. Validation follows rust-sourcemap:
// segments of 1, 4 or 5 values, source and name indexes in range.
class MappingsDecoder {
public:
  MappingsDecoder(std::string_view mappings, std::uint32_t source_count,
                  std::uint32_t name_count)
      : m_text(mappings), m_sources(source_count), m_names(name_count) {}

  // Fills `tokens` with the next non-empty line's tokens, sorted by column
  // (stable). Returns false at the end.
  bool next_line(std::vector<Token> &tokens);

private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  std::uint32_t m_line = 0;
  std::uint32_t m_sources;
  std::uint32_t m_names;
  std::uint32_t m_src_id = 0;
  std::uint32_t m_src_line = 0;
  std::uint32_t m_src_col = 0;
  std::uint32_t m_name_id = 0;
  bool m_done = false;
};

// Encodes tokens (given in order) into rust-sourcemap's `mappings` form:
// consecutive identical tokens are written once.
class MappingsEncoder {
public:
  explicit MappingsEncoder(std::string &out) : m_out(out) {}
  void add(const Token &token);

private:
  std::string &m_out;
  bool m_first = true;
  Token m_previous{};
  std::uint32_t m_line = 0;
  std::uint32_t m_col = 0;
  std::uint32_t m_src_id = 0;
  std::uint32_t m_src_line = 0;
  std::uint32_t m_src_col = 0;
  std::uint32_t m_name_id = 0;
};

// Applies `edit` to one original line's tokens (sorted by column), the way
// rust-sourcemap's adjust_mappings does, appending the results to `out`.
void adjust_line(const std::vector<Token> &line, const LineEdit &edit,
                 std::vector<Token> &out);

// True if re-encoding `mappings` after `edit` (may be null) would give the
// same text with only the edit's empty lines added: the text is already in
// the encoder's canonical form, is valid, and the edit moves whole lines
// (no split column). `insert_at` is then where those `;` go (unset without
// an edit). Checking this needs no tokens and no encoding, so it is the fast
// path of rewrite_mappings for the output of usual bundlers.
bool is_canonical_for_edit(std::string_view mappings,
                           std::uint32_t source_count, std::uint32_t name_count,
                           const LineEdit *edit, std::size_t &insert_at);

// Re-encodes `mappings` canonically (as rust-sourcemap writes it), applying
// `edit` when given. `flush` is called with `out` whenever it grows large
// (it may empty it). Throws MappingsError on invalid input.
void rewrite_mappings(std::string_view mappings, std::uint32_t source_count,
                      std::uint32_t name_count, const LineEdit *edit,
                      std::string &out,
                      const std::function<void(std::string &)> &flush = {});

// rewrite_mappings without the fast path: decodes every token, applies
// `edit` and encodes them again.
void reencode_mappings(std::string_view mappings, std::uint32_t source_count,
                       std::uint32_t name_count, const LineEdit *edit,
                       std::string &out,
                       const std::function<void(std::string &)> &flush = {});

} // namespace uploader::sourcemap
