#include "uploader/doctor/checks.hpp"

#include "uploader/util/strings.hpp"

#include <algorithm>
#include <cctype>

namespace uploader::doctor {

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool has_any(const std::vector<std::string> &scopes,
             std::initializer_list<std::string_view> wanted) {
  return std::ranges::any_of(scopes, [&](const std::string &scope) {
    return std::ranges::find(wanted, scope) != wanted.end();
  });
}

bool is_write(std::string_view scope) {
  return scope.ends_with(":write") || scope.ends_with(":admin");
}

} // namespace

std::string_view to_string(Status status) {
  switch (status) {
  case Status::pass:
    return "ok";
  case Status::warn:
    return "warn";
  case Status::fail:
    return "fail";
  case Status::skip:
    return "skip";
  }
  return "fail";
}

std::optional<std::string> closest_slug(std::string_view wanted,
                                        const std::vector<std::string> &known) {
  if (std::ranges::find(known, wanted) != known.end()) {
    return std::nullopt;
  }
  std::string normalized = util::ascii_lower(util::trim(wanted, " \t\n\v\f\r"));
  for (const auto &slug : known) {
    if (util::ascii_lower(slug) == normalized) {
      return slug;
    }
  }
  std::vector<std::string> near;
  for (const auto &slug : known) {
    if (edit_distance(normalized, util::ascii_lower(slug)) <= 2) {
      near.push_back(slug);
    }
  }
  if (near.size() == 1) {
    return near.front();
  }
  return std::nullopt;
}

std::vector<std::string>
missing_upload_scopes(const std::vector<std::string> &scopes) {
  std::vector<std::string> missing;
  if (!has_any(scopes, {"project:releases", "project:write", "project:admin",
                        "org:ci"})) {
    missing.emplace_back("project:releases");
  }
  if (!has_any(scopes, {"org:read", "org:write", "org:admin", "org:ci"})) {
    missing.emplace_back("org:read");
  }
  return missing;
}

std::vector<std::string>
excess_upload_scopes(const std::vector<std::string> &scopes) {
  std::vector<std::string> excess;
  for (const auto &scope : scopes) {
    if (is_write(scope)) {
      excess.push_back(scope);
    }
  }
  return excess;
}

std::vector<std::string>
missing_read_scopes(const std::vector<std::string> &scopes) {
  std::vector<std::string> missing;
  if (!has_any(scopes, {"event:read", "event:write", "event:admin"})) {
    missing.emplace_back("event:read");
  }
  if (!has_any(scopes, {"project:read", "project:write", "project:admin"})) {
    missing.emplace_back("project:read");
  }
  return missing;
}

std::vector<std::string>
read_token_write_scopes(const std::vector<std::string> &scopes) {
  std::vector<std::string> write;
  for (const auto &scope : scopes) {
    if (is_write(scope) || scope == "project:releases" || scope == "org:ci") {
      write.push_back(scope);
    }
  }
  return write;
}

} // namespace uploader::doctor
