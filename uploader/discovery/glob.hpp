#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace uploader::discovery {

// Shell-style glob match: `*` (not across `/`), `**` (across `/`), `?`,
// `[abc]`, `[a-z]`, `[!x]`/`[^x]`, `\x` escapes.
bool glob_match(std::string_view pattern, std::string_view text);

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

} // namespace uploader::discovery
