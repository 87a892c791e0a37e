#include "uploader/discovery/glob.hpp"

namespace uploader::discovery {

namespace {

// Matches a `[...]` class at pattern[p]; returns the position after it, or
// npos if the class is malformed (then `[` is literal).
std::size_t match_class(std::string_view pattern, std::size_t p, char c,
                        bool &matched) {
  std::size_t i = p + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negate = true;
    ++i;
  }
  bool any = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    char low = pattern[i];
    char high = low;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' &&
        pattern[i + 2] != ']') {
      high = pattern[i + 2];
      i += 3;
    } else {
      ++i;
    }
    if (c >= low && c <= high) {
      any = true;
    }
  }
  if (i >= pattern.size()) {
    return std::string_view::npos;
  }
  matched = any != negate;
  return i + 1;
}

// Matches pattern[p..] against text[t..]. A star tries every stretch of
// text it may cover; tried naively that is exponential in the number of
// stars (`*a*a*a*a*b` against a run of `a`s), so each star remembers, per
// text position, where it already failed. Only failures need remembering: a
// success ends the whole match.
class Matcher {
public:
  Matcher(std::string_view pattern, std::string_view text)
      : m_pattern(pattern), m_text(text) {}

  bool match_from(std::size_t p, std::size_t t);
  std::size_t steps() const { return m_steps; }

private:
  bool match_star(std::size_t p, std::size_t t);
  // The first of the two rows of m_failed that belong to the star at p.
  std::size_t rows_of(std::size_t p);

  std::string_view m_pattern;
  std::string_view m_text;
  std::size_t m_steps = 0;
  // Per pattern position: 1 + the index of its star's rows, 0 if none yet.
  std::vector<std::size_t> m_star_index;
  std::size_t m_stars = 0;
  // Two rows of text.size() + 1 bits per star reached: in the first, bit t
  // says the star entered at t failed; in the second, bit k says every
  // stretch the star can end at k or after (up to the next `/` for a lone
  // `*`) failed.
  std::vector<bool> m_failed;
};

std::size_t Matcher::rows_of(std::size_t p) {
  if (m_star_index.empty()) {
    m_star_index.assign(m_pattern.size() + 1, 0);
  }
  if (m_star_index[p] == 0) {
    m_star_index[p] = ++m_stars;
    m_failed.resize(m_stars * 2 * (m_text.size() + 1));
  }
  return (m_star_index[p] - 1) * 2 * (m_text.size() + 1);
}

bool Matcher::match_star(std::size_t p, std::size_t t) {
  bool double_star = p + 1 < m_pattern.size() && m_pattern[p + 1] == '*';
  std::size_t next = p + (double_star ? 2 : 1);
  // Indices, not references: the nested calls below may grow m_failed.
  std::size_t entered = rows_of(p);
  std::size_t tail = entered + m_text.size() + 1;
  if (m_failed[entered + t]) {
    return false;
  }
  if (double_star && next < m_pattern.size() && m_pattern[next] == '/') {
    // "**/" matches zero or more whole folders.
    if (match_from(next + 1, t)) {
      return true;
    }
  }
  // The star covers text[t..k); a lone `*` covers no `/`, so k stops at the
  // first one.
  std::size_t k = t;
  for (;; ++k) {
    if (m_failed[tail + k]) {
      break; // every k from here on failed before
    }
    if (match_from(next, k)) {
      return true;
    }
    if (k == m_text.size() || (m_text[k] == '/' && !double_star)) {
      break;
    }
  }
  // Every end the star has from t failed: those tried here and, if the loop
  // stopped at a remembered k, those from k on. A star started anywhere in
  // [t, k] has a subset of these ends (a lone one meets no `/` before k), so
  // all of them are failed starts.
  for (std::size_t j = t; j <= k; ++j) {
    m_failed[tail + j] = true;
  }
  m_failed[entered + t] = true;
  return false;
}

bool Matcher::match_from(std::size_t p, std::size_t t) {
  ++m_steps;
  std::string_view pattern = m_pattern;
  std::string_view text = m_text;
  while (p < pattern.size()) {
    char pc = pattern[p];
    if (pc == '*') {
      return match_star(p, t);
    }
    if (t >= text.size()) {
      return false;
    }
    if (pc == '?') {
      if (text[t] == '/') {
        return false;
      }
      ++p;
      ++t;
      continue;
    }
    if (pc == '[') {
      bool matched = false;
      std::size_t after = match_class(pattern, p, text[t], matched);
      if (after != std::string_view::npos) {
        if (!matched || text[t] == '/') {
          return false;
        }
        p = after;
        ++t;
        continue;
      }
    }
    if (pc == '\\' && p + 1 < pattern.size()) {
      pc = pattern[++p];
    }
    if (pc != text[t]) {
      return false;
    }
    ++p;
    ++t;
  }
  return t == text.size();
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  return Matcher(pattern, text).match_from(0, 0);
}

namespace detail {

bool glob_match_counted(std::string_view pattern, std::string_view text,
                        std::size_t &steps) {
  Matcher matcher(pattern, text);
  bool matched = matcher.match_from(0, 0);
  steps = matcher.steps();
  return matched;
}

} // namespace detail

IgnorePattern::IgnorePattern(std::string pattern) : m_glob(std::move(pattern)) {
  if (m_glob.size() > 1 && m_glob.back() == '/') {
    m_dir_only = true;
    m_glob.pop_back();
  }
  if (m_glob.starts_with("/")) {
    m_anchored = true;
    m_glob.erase(0, 1);
  } else if (m_glob.find('/') != std::string::npos) {
    m_anchored = true;
  }
}

bool IgnorePattern::matches(std::string_view relative_path, bool is_dir) const {
  if (m_dir_only && !is_dir) {
    return false;
  }
  if (m_anchored) {
    return glob_match(m_glob, relative_path);
  }
  auto slash = relative_path.rfind('/');
  std::string_view name = slash == std::string_view::npos
                              ? relative_path
                              : relative_path.substr(slash + 1);
  return glob_match(m_glob, name);
}

void IgnoreFileRules::add_line(std::string_view line) {
  if (line.ends_with('\r')) {
    line.remove_suffix(1);
  }
  // Trailing spaces are dropped unless escaped with a backslash.
  while (line.ends_with(' ') &&
         !(line.size() >= 2 && line[line.size() - 2] == '\\')) {
    line.remove_suffix(1);
  }
  if (line.empty() || line.starts_with('#')) {
    return;
  }
  bool negated = line.starts_with('!');
  if (negated) {
    line.remove_prefix(1);
  } else if (line.starts_with("\\!") || line.starts_with("\\#")) {
    line.remove_prefix(1);
  }
  if (line.empty()) {
    return;
  }
  m_rules.push_back(Rule{IgnorePattern(std::string(line)), negated});
}

IgnoreFileRules::Verdict IgnoreFileRules::match(std::string_view path,
                                                bool is_dir) const {
  for (auto rule = m_rules.rbegin(); rule != m_rules.rend(); ++rule) {
    if (rule->pattern.matches(path, is_dir)) {
      return rule->negated ? Verdict::include : Verdict::exclude;
    }
  }
  return Verdict::none;
}

} // namespace uploader::discovery
