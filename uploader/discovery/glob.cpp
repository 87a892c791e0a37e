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

bool match_from(std::string_view pattern, std::size_t p, std::string_view text,
                std::size_t t) {
  while (p < pattern.size()) {
    char pc = pattern[p];
    if (pc == '*') {
      bool double_star = p + 1 < pattern.size() && pattern[p + 1] == '*';
      std::size_t next = p + (double_star ? 2 : 1);
      if (double_star && next < pattern.size() && pattern[next] == '/') {
        // "**/" matches zero or more whole folders.
        if (match_from(pattern, next + 1, text, t)) {
          return true;
        }
      }
      for (std::size_t k = t; k <= text.size(); ++k) {
        if (match_from(pattern, next, text, k)) {
          return true;
        }
        if (k < text.size() && text[k] == '/' && !double_star) {
          return false;
        }
      }
      return false;
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
  return match_from(pattern, 0, text, 0);
}

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
