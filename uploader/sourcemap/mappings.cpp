#include "uploader/sourcemap/mappings.hpp"

#include "uploader/sourcemap/vlq.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace uploader::sourcemap {

namespace {

std::uint32_t wrap_add(std::uint32_t base, std::int64_t delta) {
  return static_cast<std::uint32_t>(static_cast<std::int64_t>(base) + delta);
}

char *encode_diff(char *out, std::uint32_t value, std::uint32_t base) {
  return encode_vlq(out, static_cast<std::int64_t>(value) -
                             static_cast<std::int64_t>(base));
}

} // namespace

LineEdit line_edit_for_insert(std::string_view js, std::size_t offset,
                              std::uint32_t inserted_lines) {
  // Newlines are found with memchr: minified files have long lines.
  auto count_newlines = [&](std::size_t from, std::size_t to,
                            std::size_t &last_end) {
    std::uint32_t count = 0;
    const char *p = js.data() + from;
    const char *end = js.data() + to;
    while (p < end) {
      const void *hit = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (hit == nullptr) {
        break;
      }
      p = static_cast<const char *>(hit) + 1;
      last_end = static_cast<std::size_t>(p - js.data());
      ++count;
    }
    return count;
  };
  LineEdit edit;
  edit.inserted_lines = inserted_lines;
  std::size_t line_start = 0;
  std::uint32_t newlines = count_newlines(0, offset, line_start);
  edit.split_line = newlines;
  edit.split_col = static_cast<std::uint32_t>(offset - line_start);
  std::size_t unused = 0;
  std::uint32_t total = newlines + count_newlines(offset, js.size(), unused);
  edit.content_lines = total + ((!js.empty() && js.back() != '\n') ? 1u : 0u);
  edit.has_tail = offset < js.size();
  return edit;
}

bool MappingsDecoder::next_line(std::vector<Token> &tokens) {
  tokens.clear();
  while (!m_done) {
    if (m_pos >= m_text.size()) {
      m_done = true;
      break;
    }
    std::size_t end = m_text.find(';', m_pos);
    if (end == std::string_view::npos) {
      end = m_text.size();
    }
    std::uint32_t dst_col = 0;
    std::size_t pos = m_pos;
    while (pos < end) {
      if (m_text[pos] == ',') {
        ++pos;
        continue;
      }
      std::size_t segment_start = pos;
      std::array<std::int64_t, 6> nums{};
      std::size_t count = 0;
      while (pos < end && m_text[pos] != ',') {
        std::int64_t value = 0;
        VlqStatus status = decode_vlq(m_text, pos, value);
        if (status == VlqStatus::invalid_char) {
          throw MappingsError("invalid base64 character '" +
                                  std::string(1, m_text[pos]) + "'",
                              pos);
        }
        if (status == VlqStatus::overflow) {
          throw MappingsError("VLQ value overflows", segment_start);
        }
        if (status == VlqStatus::leftover) {
          throw MappingsError("truncated VLQ value", segment_start);
        }
        if (count == nums.size()) {
          throw MappingsError("segment has too many values", segment_start);
        }
        nums[count++] = value;
      }
      if (count != 1 && count != 4 && count != 5) {
        throw MappingsError("segment has " + std::to_string(count) +
                                " values (expected 1, 4 or 5)",
                            segment_start);
      }
      Token token;
      token.dst_line = m_line;
      dst_col = wrap_add(dst_col, nums[0]);
      token.dst_col = dst_col;
      if (count > 1) {
        m_src_id = wrap_add(m_src_id, nums[1]);
        if (m_src_id >= m_sources) {
          throw MappingsError("source index " + std::to_string(m_src_id) +
                                  " out of range",
                              segment_start);
        }
        m_src_line = wrap_add(m_src_line, nums[2]);
        m_src_col = wrap_add(m_src_col, nums[3]);
        token.src_id = m_src_id;
        token.src_line = m_src_line;
        token.src_col = m_src_col;
        if (count > 4) {
          m_name_id = wrap_add(m_name_id, nums[4]);
          if (m_name_id >= m_names) {
            throw MappingsError("name index " + std::to_string(m_name_id) +
                                    " out of range",
                                segment_start);
          }
          token.name_id = m_name_id;
        }
      }
      tokens.push_back(token);
    }
    m_pos = end + 1;
    if (end == m_text.size()) {
      m_done = true;
    }
    ++m_line;
    if (!tokens.empty()) {
      if (!std::ranges::is_sorted(tokens, {}, &Token::dst_col)) {
        std::ranges::stable_sort(tokens, {}, &Token::dst_col);
      }
      return true;
    }
  }
  return false;
}

void MappingsEncoder::add(const Token &token) {
  if (!m_first && token.dst_line != m_line) {
    m_col = 0;
    m_out.append(token.dst_line - m_line, ';');
    m_line = token.dst_line;
  } else if (m_first) {
    if (token.dst_line != 0) {
      m_out.append(token.dst_line, ';');
      m_line = token.dst_line;
    }
  } else {
    if (token == m_previous) {
      return;
    }
    m_out += ',';
  }
  m_first = false;
  m_previous = token;
  // The segment is built on the stack and appended once (a hot spot).
  char segment[5 * k_max_vlq_size];
  char *end = encode_diff(segment, token.dst_col, m_col);
  m_col = token.dst_col;
  if (token.src_id != k_no_value) {
    end = encode_diff(end, token.src_id, m_src_id);
    m_src_id = token.src_id;
    end = encode_diff(end, token.src_line, m_src_line);
    m_src_line = token.src_line;
    end = encode_diff(end, token.src_col, m_src_col);
    m_src_col = token.src_col;
    if (token.name_id != k_no_value) {
      end = encode_diff(end, token.name_id, m_name_id);
      m_name_id = token.name_id;
    }
  }
  m_out.append(segment, end);
}

void adjust_line(const std::vector<Token> &line, const LineEdit &edit,
                 std::vector<Token> &out) {
  if (line.empty()) {
    return;
  }
  std::uint32_t l = line.front().dst_line;
  if (l >= edit.content_lines) {
    return;
  }
  struct Range {
    std::uint64_t start;
    std::uint64_t end;
    std::int64_t line_diff;
    std::int64_t col_diff;
  };
  constexpr std::uint64_t k_line_end = 0xffffffffull;
  std::array<Range, 2> ranges{};
  std::size_t range_count = 1;
  auto shift = static_cast<std::int64_t>(edit.inserted_lines);
  if (!edit.has_tail || l < edit.split_line) {
    ranges[0] = {0, k_line_end, 0, 0};
  } else if (l > edit.split_line || edit.split_col == 0) {
    ranges[0] = {0, k_line_end, shift, 0};
  } else {
    ranges[0] = {0, edit.split_col, 0, 0};
    ranges[1] = {edit.split_col, k_line_end, shift,
                 -static_cast<std::int64_t>(edit.split_col)};
    range_count = 2;
  }
  auto end_of = [&](std::size_t i) -> std::uint64_t {
    return i + 1 < line.size() ? line[i + 1].dst_col : k_line_end;
  };
  std::size_t i = 0;
  for (std::size_t r = 0; r < range_count; ++r) {
    const Range &range = ranges[r];
    while (i < line.size() && end_of(i) <= range.start) {
      ++i;
    }
    if (i >= line.size()) {
      return;
    }
    while (i < line.size() && line[i].dst_col < range.end) {
      Token token = line[i];
      std::uint64_t start = std::max<std::uint64_t>(token.dst_col, range.start);
      token.dst_line = static_cast<std::uint32_t>(l + range.line_diff);
      token.dst_col = static_cast<std::uint32_t>(
          static_cast<std::int64_t>(start) + range.col_diff);
      out.push_back(token);
      if (end_of(i) >= range.end) {
        break;
      }
      ++i;
    }
  }
}

void reencode_mappings(std::string_view mappings, std::uint32_t source_count,
                       std::uint32_t name_count, const LineEdit *edit,
                       std::string &out,
                       const std::function<void(std::string &)> &flush) {
  MappingsDecoder decoder(mappings, source_count, name_count);
  MappingsEncoder encoder(out);
  std::vector<Token> line;
  std::vector<Token> adjusted;
  while (decoder.next_line(line)) {
    if (edit == nullptr) {
      for (const Token &token : line) {
        encoder.add(token);
      }
    } else {
      adjusted.clear();
      adjust_line(line, *edit, adjusted);
      for (const Token &token : adjusted) {
        encoder.add(token);
      }
    }
    if (flush && out.size() >= k_flush_size) {
      flush(out);
    }
  }
}

void rewrite_mappings(std::string_view mappings, std::uint32_t source_count,
                      std::uint32_t name_count, const LineEdit *edit,
                      std::string &out,
                      const std::function<void(std::string &)> &flush) {
  std::size_t insert_at = 0;
  if (is_canonical_for_edit(mappings, source_count, name_count, edit,
                            insert_at)) {
    if (edit == nullptr) {
      out += mappings;
    } else {
      out += mappings.substr(0, insert_at);
      out.append(edit->inserted_lines, ';');
      out += mappings.substr(insert_at);
    }
    if (flush && out.size() >= k_flush_size) {
      flush(out);
    }
    return;
  }
  reencode_mappings(mappings, source_count, name_count, edit, out, flush);
}

} // namespace uploader::sourcemap
