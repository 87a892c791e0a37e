#include "uploader/sourcemap/injection.hpp"

#include <cstdint>
#include <vector>

namespace uploader::sourcemap {

namespace {

constexpr std::string_view k_snippet_head =
    "!function(){try{var e=\"undefined\"!=typeof window?window:\"undefined\"!="
    "typeof global?global:\"undefined\"!=typeof globalThis?globalThis:"
    "\"undefined\"!=typeof self?self:{},n=(new e.Error).stack;n&&(e._"
    "sentryDebugIds=e._sentryDebugIds||{},e._sentryDebugIds[n]=\"";
constexpr std::string_view k_snippet_tail = "\")}catch(e){}}();";
constexpr std::string_view k_debug_id_comment = "//# debugId=";

// Length of the Unicode White_Space character at `pos` (as regex `\s`
// matches it), or 0.
std::size_t whitespace_at(std::string_view s, std::size_t pos) {
  auto byte = [&](std::size_t k) {
    return pos + k < s.size() ? static_cast<std::uint8_t>(s[pos + k])
                              : static_cast<std::uint8_t>(0);
  };
  std::uint8_t b0 = byte(0);
  if (b0 == ' ' || (b0 >= 0x09 && b0 <= 0x0d)) {
    return 1;
  }
  if (b0 == 0xc2 && (byte(1) == 0x85 || byte(1) == 0xa0)) {
    return 2;
  }
  if (b0 == 0xe1 && byte(1) == 0x9a && byte(2) == 0x80) {
    return 3; // U+1680
  }
  if (b0 == 0xe2 && byte(1) == 0x80 &&
      ((byte(2) >= 0x80 && byte(2) <= 0x8a) || byte(2) == 0xa8 ||
       byte(2) == 0xa9 || byte(2) == 0xaf)) {
    return 3; // U+2000..200A, U+2028, U+2029, U+202F
  }
  if (b0 == 0xe2 && byte(1) == 0x81 && byte(2) == 0x9f) {
    return 3; // U+205F
  }
  if (b0 == 0xe3 && byte(1) == 0x80 && byte(2) == 0x80) {
    return 3; // U+3000
  }
  return 0;
}

// End of `.*[\n\r]` matched greedily from `from` (`.` excludes '\n'), or
// npos.
std::size_t rest_of_line_end(std::string_view s, std::size_t from) {
  std::size_t newline = s.find('\n', from);
  if (newline != std::string_view::npos) {
    return newline + 1;
  }
  std::size_t cr = s.rfind('\r');
  if (cr != std::string_view::npos && cr >= from) {
    return cr + 1;
  }
  return std::string_view::npos;
}

// One greedy iteration of `(?:\s+|/\*…\*/|//.*[\n\r])` at `pos`; returns the
// end, or npos if no alternative matches.
std::size_t skip_one_trivia(std::string_view s, std::size_t pos) {
  std::size_t ws = whitespace_at(s, pos);
  if (ws > 0) {
    std::size_t end = pos;
    while ((ws = whitespace_at(s, end)) > 0) {
      end += ws;
    }
    return end;
  }
  if (s.substr(pos, 2) == "/*") {
    std::size_t close = s.find("*/", pos + 2);
    if (close != std::string_view::npos) {
      return close + 2;
    }
  }
  if (s.substr(pos, 2) == "//") {
    return rest_of_line_end(s, pos + 2);
  }
  return std::string_view::npos;
}

std::vector<std::string_view> split_lines(std::string_view js) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < js.size()) {
    std::size_t newline = js.find('\n', pos);
    if (newline == std::string_view::npos) {
      lines.push_back(js.substr(pos));
      break;
    }
    std::string_view line = js.substr(pos, newline - pos);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    pos = newline + 1;
  }
  return lines;
}

bool is_sourcemap_comment_line(std::string_view line) {
  return line.starts_with("//# sourceMappingURL=") ||
         line.starts_with("//@ sourceMappingURL=");
}

std::size_t
last_sourcemap_comment_line(const std::vector<std::string_view> &lines) {
  for (std::size_t i = lines.size(); i-- > 0;) {
    if (is_sourcemap_comment_line(lines[i])) {
      return i;
    }
  }
  return lines.size();
}

// Backtracking search for USE_DIRECTIVE's leftmost-first match.
class UseDirectiveSearch {
public:
  explicit UseDirectiveSearch(std::string_view s)
      : m_s(s), m_failed(s.size() + 1, false) {}

  std::optional<std::string_view> run() { return from(0, 0); }

private:
  static constexpr std::size_t k_budget = 2'000'000;
  static constexpr int k_max_depth = 4000;

  std::optional<std::string_view> from(std::size_t pos, int depth) {
    if (pos > m_s.size() || m_failed[pos] || depth > k_max_depth ||
        ++m_steps > k_budget) {
      return std::nullopt;
    }
    // Another iteration of the star first (greedy), in alternative order.
    if (whitespace_at(m_s, pos) > 0) {
      std::vector<std::size_t> ends;
      std::size_t end = pos;
      std::size_t ws = 0;
      while ((ws = whitespace_at(m_s, end)) > 0) {
        end += ws;
        ends.push_back(end);
      }
      for (std::size_t k = ends.size(); k-- > 0;) {
        if (auto found = from(ends[k], depth + 1)) {
          return found;
        }
      }
    }
    if (m_s.substr(pos, 2) == "/*") {
      std::size_t close = m_s.find("*/", pos + 2);
      while (close != std::string_view::npos) {
        if (auto found = from(close + 2, depth + 1)) {
          return found;
        }
        if (m_steps > k_budget) {
          return std::nullopt;
        }
        close = m_s.find("*/", close + 1);
      }
    }
    if (m_s.substr(pos, 2) == "//") {
      std::size_t newline = m_s.find('\n', pos + 2);
      std::size_t limit =
          newline == std::string_view::npos ? m_s.size() : newline;
      if (newline != std::string_view::npos) {
        if (auto found = from(newline + 1, depth + 1)) {
          return found;
        }
      }
      for (std::size_t k = limit; k-- > pos + 2;) {
        if (m_s[k] == '\r') {
          if (auto found = from(k + 1, depth + 1)) {
            return found;
          }
        }
      }
    }
    // Then the directive itself.
    if (pos < m_s.size() && (m_s[pos] == '"' || m_s[pos] == '\'') &&
        m_s.substr(pos + 1, 4) == "use ") {
      std::size_t close = m_s.find(m_s[pos], pos + 5);
      if (close != std::string_view::npos) {
        return m_s.substr(pos, close + 1 - pos);
      }
    }
    m_failed[pos] = true;
    return std::nullopt;
  }

  std::string_view m_s;
  std::vector<bool> m_failed;
  std::size_t m_steps = 0;
};

} // namespace

std::string debug_id_snippet(const DebugId &id) {
  std::string text;
  text.reserve(k_snippet_head.size() + 36 + k_snippet_tail.size());
  text += k_snippet_head;
  text += id.to_string();
  text += k_snippet_tail;
  return text;
}

std::size_t find_prelude_end(std::string_view js) {
  std::size_t pos = 0;
  if (js.starts_with("#!")) {
    std::size_t end = rest_of_line_end(js, 2);
    if (end != std::string_view::npos) {
      pos = end;
    }
  }
  for (;;) {
    std::size_t end = skip_one_trivia(js, pos);
    if (end == std::string_view::npos) {
      break;
    }
    pos = end;
  }
  if (pos < js.size() && (js[pos] == '"' || js[pos] == '\'')) {
    char quote = js[pos];
    std::size_t close = js.find(quote, pos + 1);
    if (close != std::string_view::npos && close + 1 < js.size() &&
        js[close + 1] == ';') {
      pos = close + 2;
      if (quote == '\'' && pos < js.size() &&
          (js[pos] == '\n' || js[pos] == '\r')) {
        ++pos;
      }
    }
  }
  // sentry-cli inserts with magic-string's append_left; at the very end of
  // the text that lands in the intro, i.e. at the start of the file.
  return pos == js.size() ? 0 : pos;
}

std::optional<std::string_view> find_use_directive(std::string_view js) {
  return UseDirectiveSearch(js).run();
}

std::string inject_after_prelude(std::string_view js, const DebugId &id,
                                 std::size_t prelude_end) {
  std::string snippet = debug_id_snippet(id);
  std::string out;
  out.reserve(js.size() + snippet.size() + 64);
  out += js.substr(0, prelude_end);
  out += '\n';
  out += snippet;
  out += '\n';
  out += js.substr(prelude_end);
  out += '\n';
  out += k_debug_id_comment;
  out += id.to_string();
  out += '\n';
  return out;
}

std::string inject_at_start(std::string_view js, const DebugId &id) {
  std::string_view hashbang;
  std::string_view rest = js;
  if (js.starts_with("#!")) {
    std::size_t newline = js.find('\n');
    std::size_t cut =
        newline == std::string_view::npos ? js.size() : newline + 1;
    hashbang = js.substr(0, cut);
    rest = js.substr(cut);
  }
  std::string out;
  out.reserve(js.size() + 512);
  out += hashbang;
  if (auto directive = find_use_directive(rest)) {
    out += *directive;
    out += ';';
  }
  out += debug_id_snippet(id);
  out += '\n';
  out += rest;
  out += '\n';
  out += k_debug_id_comment;
  out += id.to_string();
  out += '\n';
  return out;
}

std::string inject_at_end(std::string_view js, const DebugId &id) {
  std::vector<std::string_view> lines = split_lines(js);
  std::size_t comment = last_sourcemap_comment_line(lines);
  std::string out;
  out.reserve(js.size() + 512);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i != comment) {
      out += lines[i];
      out += '\n';
    }
  }
  out += debug_id_snippet(id);
  out += '\n';
  if (comment < lines.size()) {
    out += lines[comment];
    out += '\n';
  }
  out += k_debug_id_comment;
  out += id.to_string();
  out += '\n';
  return out;
}

std::string replace_sourcemap_url(std::string_view js, std::string_view url) {
  std::vector<std::string_view> lines = split_lines(js);
  std::size_t comment = last_sourcemap_comment_line(lines);
  if (comment == lines.size()) {
    return std::string(js);
  }
  std::string out;
  out.reserve(js.size() + url.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i == comment) {
      out += "//# sourceMappingURL=";
      out += url;
    } else {
      out += lines[i];
    }
    out += '\n';
  }
  return out;
}

} // namespace uploader::sourcemap
