#pragma once

#include "uploader/http/api.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace uploader::issues {

// The fields of a Sentry issue (group) a dashboard shows.
struct Issue {
  std::string id;
  std::string short_id;
  std::string title;
  std::string culprit;
  std::string permalink;
  std::string level;
  std::string status;
  std::uint64_t count = 0; // events; Sentry sends it as a string
  std::uint64_t user_count = 0;
  std::string first_seen;
  std::string last_seen;
  std::string project;
  std::string metadata_type;
  std::string metadata_value;
};

// Reads up to `limit` issues of a project matching `query` (Sentry's search
// syntax, e.g. `is:unresolved`) with GET
// /api/0/projects/{org}/{project}/issues/?query=&limit=, following the Link
// header's next cursor while pages have results. Throws like http::Api.
std::vector<Issue> list_issues(http::Api &api, const std::string &org,
                               const std::string &project,
                               const std::string &query, std::size_t limit);

// The newest event of an issue as JSON text:
// GET /api/0/issues/{id}/events/latest/.
std::string latest_event(http::Api &api, const std::string &issue_id);

} // namespace uploader::issues
