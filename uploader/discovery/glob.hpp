#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::discovery {

// Shell-style glob match: `*` (not across `/`), `**` (across `/`), `?`,
// `[abc]`, `[a-z]`, `[!x]`/`[^x]`, `\x` escapes.
// Its cost is polynomial whatever the input: see detail::glob_match_counted.
bool glob_match(std::string_view pattern, std::string_view text);

namespace detail {
// glob_match, also reporting into `steps` how many times the matcher tried a
// pattern suffix against a text suffix (for the tests and the fuzz target).
// Each star remembers the text positions it already failed from, so `steps`
// is at most 1 + pattern.size() * (text.size() + 1).
bool glob_match_counted(std::string_view pattern, std::string_view text,
                        std::size_t &steps);
} // namespace detail

// A gitignore-style pattern as `--ignore` takes it: a pattern without `/`
// (other than a trailing one) matches the entry name at any depth; one with
// a `/` matches the path relative to the walked root; a trailing `/` only
// matches folders.
class IgnorePattern {
public:
  explicit IgnorePattern(std::string pattern);
  bool matches(std::string_view relative_path, bool is_dir) const;

private:
  std::string m_glob;
  bool m_anchored = false;
  bool m_dir_only = false;
};

// The patterns of gitignore-syntax files (`--ignore-file`), matched as
// sentry-cli's walker (the `ignore` crate) matches them: against the path
// relative to the working directory. Blank lines and `#` comments are
// skipped, `\#` and `\!` are literal, a leading `!` re-includes what an
// earlier pattern excluded, and the last matching pattern decides.
class IgnoreFileRules {
public:
  void add_line(std::string_view line);
  bool empty() const { return m_rules.empty(); }
  enum class Verdict { none, exclude, include };
  // What the last line matching `path` (relative to the working directory,
  // `/`-separated) says: `include` for a `!` line.
  Verdict match(std::string_view path, bool is_dir) const;

private:
  struct Rule {
    IgnorePattern pattern;
    bool negated;
  };
  std::vector<Rule> m_rules;
};

} // namespace uploader::discovery
