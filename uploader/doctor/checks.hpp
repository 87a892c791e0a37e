#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::doctor {

enum class Status { pass, warn, fail, skip };

// "ok", "warn", "fail", "skip": the JSON and table names.
std::string_view to_string(Status status);

// One line of the checklist: what was checked, the outcome, what was found
// and, unless it passed, how to fix it.
struct Check {
  std::string name;
  Status status = Status::pass;
  std::string message;
  std::string hint;
};

// The known slug `wanted` most likely means: equal after trimming
// whitespace or ignoring case, else the only one within two edits.
// Returns nullopt when there is no such slug or `wanted` is known.
std::optional<std::string> closest_slug(std::string_view wanted,
                                        const std::vector<std::string> &known);

// Scopes the upload token lacks: it needs project:releases (or org:ci, or
// project:write/admin) and org:read (or org:ci, org:write/admin). Returns
// the missing names ("project:releases", "org:read").
std::vector<std::string>
missing_upload_scopes(const std::vector<std::string> &scopes);

// Scopes beyond what an upload needs: every `*:write` and `*:admin`.
std::vector<std::string>
excess_upload_scopes(const std::vector<std::string> &scopes);

// Scopes the read token lacks to list issues and events: event:read and
// project:read (or their write/admin forms).
std::vector<std::string>
missing_read_scopes(const std::vector<std::string> &scopes);

// Scopes that let a read token change something: `*:write`, `*:admin`,
// project:releases and org:ci (both can upload).
std::vector<std::string>
read_token_write_scopes(const std::vector<std::string> &scopes);

} // namespace uploader::doctor
