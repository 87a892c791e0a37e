// Glob matcher (`--ignore`, `--ignore-file`, `--delete-glob` patterns): the
// input is "pattern\ntext" (no newline: all pattern, empty text). For every
// input the matcher must not crash, must stay within its documented step
// bound, and on small inputs must agree with the naive matcher below, which
// restates the semantics by plain recursion (exponential, hence the size
// limit).
#include "uploader/discovery/glob.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

// The `[...]` class at pattern[p]. The first member (after `!`/`^`) may be
// `]`; the class ends at the next `]`; `x-y` inside is a range. Returns the
// position after the class, or npos if it has no end (then `[` is literal).
std::size_t reference_class(std::string_view pattern, std::size_t p, char c,
                            bool &matched) {
  std::size_t first = p + 1;
  bool negate = first < pattern.size() &&
                (pattern[first] == '!' || pattern[first] == '^');
  if (negate) {
    ++first;
  }
  if (first >= pattern.size()) {
    return std::string_view::npos;
  }
  std::size_t close = pattern.find(']', first + 1);
  if (close == std::string_view::npos) {
    return std::string_view::npos;
  }
  bool any = false;
  for (std::size_t i = first; i < close;) {
    char low = pattern[i];
    char high = low;
    if (i + 2 < close && pattern[i + 1] == '-') {
      high = pattern[i + 2];
      i += 3;
    } else {
      i += 1;
    }
    // Compared as `char`, as the matcher does.
    any = any || (low <= c && c <= high);
  }
  matched = any != negate;
  return close + 1;
}

bool reference(std::string_view pattern, std::size_t p, std::string_view text,
               std::size_t t) {
  if (p == pattern.size()) {
    return t == text.size();
  }
  char c = pattern[p];
  if (c == '*') {
    bool double_star = p + 1 < pattern.size() && pattern[p + 1] == '*';
    std::size_t rest = p + (double_star ? 2 : 1);
    // `**/` may also match no folder at all.
    if (double_star && rest < pattern.size() && pattern[rest] == '/' &&
        reference(pattern, rest + 1, text, t)) {
      return true;
    }
    // The star covers text[t..end): `*` not past a `/`, `**` anywhere.
    for (std::size_t end = t;; ++end) {
      if (reference(pattern, rest, text, end)) {
        return true;
      }
      if (end == text.size() || (!double_star && text[end] == '/')) {
        return false;
      }
    }
  }
  if (t == text.size()) {
    return false;
  }
  if (c == '?') {
    return text[t] != '/' && reference(pattern, p + 1, text, t + 1);
  }
  if (c == '[') {
    bool matched = false;
    std::size_t after = reference_class(pattern, p, text[t], matched);
    if (after != std::string_view::npos) {
      return matched && text[t] != '/' &&
             reference(pattern, after, text, t + 1);
    }
  }
  if (c == '\\' && p + 1 < pattern.size()) {
    return pattern[p + 1] == text[t] && reference(pattern, p + 2, text, t + 1);
  }
  return c == text[t] && reference(pattern, p + 1, text, t + 1);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  std::string_view input(reinterpret_cast<const char *>(data), size);
  std::size_t newline = input.find('\n');
  std::string_view pattern = input.substr(0, newline);
  std::string_view text = newline == std::string_view::npos
                              ? std::string_view()
                              : input.substr(newline + 1);

  std::size_t steps = 0;
  bool matched =
      uploader::discovery::detail::glob_match_counted(pattern, text, steps);
  if (matched != uploader::discovery::glob_match(pattern, text)) {
    std::abort();
  }
  if (steps > 1 + pattern.size() * (text.size() + 1)) {
    std::abort(); // the cost bound the header promises
  }
  if (pattern.size() <= 12 && text.size() <= 12 &&
      matched != reference(pattern, 0, text, 0)) {
    std::abort();
  }

  // The gitignore-style wrappers on the same input: no crash.
  uploader::discovery::IgnorePattern ignore{std::string(pattern)};
  (void)ignore.matches(text, true);
  (void)ignore.matches(text, false);
  uploader::discovery::IgnoreFileRules rules;
  rules.add_line(pattern);
  (void)rules.match(text, false);
  return 0;
}
