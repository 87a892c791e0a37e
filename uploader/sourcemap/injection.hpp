#pragma once

#include "uploader/sourcemap/debug_id.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace uploader::sourcemap {

// The one-line runtime snippet that registers `id` in `_sentryDebugIds`.
std::string debug_id_snippet(const DebugId &id);

// End (byte offset) of the prelude after which strategy A inserts the
// snippet: an optional hashbang line, then whitespace and comments, then one
// optional string directive (`"…";` or `'…';` plus one line break). When
// that prelude is the whole file, the result is 0 (as sentry-cli does).
std::size_t find_prelude_end(std::string_view js);

// The `"use …"`/`'use …'` directive that starts `js` after whitespace and
// comments, as sentry-cli's inject_at_start finds it (its regex semantics,
// including backtracking into longer comments), or nullopt.
std::optional<std::string_view> find_use_directive(std::string_view js);

// Strategy A (regular and Hermes maps): "\n" + snippet + "\n" inserted at
// `prelude_end`, "\n//# debugId=<id>\n" appended.
std::string inject_after_prelude(std::string_view js, const DebugId &id,
                                 std::size_t prelude_end);

// Strategy B (index maps): the snippet becomes the first line after the
// hashbang, prefixed by a repeated `"use …";` directive; the debug-id
// comment is appended. Inserts exactly one line.
std::string inject_at_start(std::string_view js, const DebugId &id);

// Strategy C (no usable map): the file re-emitted line by line (CRLF becomes
// LF), the last `//# sourceMappingURL=`/`//@ sourceMappingURL=` line moved
// after the appended snippet, then the debug-id comment.
std::string inject_at_end(std::string_view js, const DebugId &id);

// Replaces the last line that starts with a sourceMappingURL comment by
// `//# sourceMappingURL=<url>` (re-emitting the file line by line). Returns
// the input unchanged if there is no such line.
std::string replace_sourcemap_url(std::string_view js, std::string_view url);

} // namespace uploader::sourcemap
