#include "uploader/issues/issues_api.hpp"

#include "uploader/http/paging.hpp"
#include "uploader/issues/json_fields.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/url.hpp"

#include <charconv>

namespace uploader::issues {

namespace {

using nlohmann::json;

// Sentry sends `count` as a string and `userCount` as a number.
std::uint64_t whole_number(const json &object, const char *key) {
  auto it = object.find(key);
  if (it == object.end()) {
    return 0;
  }
  if (it->is_number_unsigned() || it->is_number_integer()) {
    return it->get<std::uint64_t>();
  }
  std::uint64_t value = 0;
  if (it->is_string()) {
    const std::string &s = it->get_ref<const std::string &>();
    std::from_chars(s.data(), s.data() + s.size(), value);
  }
  return value;
}

Issue issue_from_json(const json &item) {
  Issue issue;
  issue.id = string_field(item, "id");
  issue.short_id = string_field(item, "shortId");
  issue.title = string_field(item, "title");
  issue.culprit = string_field(item, "culprit");
  issue.permalink = string_field(item, "permalink");
  issue.level = string_field(item, "level");
  issue.status = string_field(item, "status");
  issue.count = whole_number(item, "count");
  issue.user_count = whole_number(item, "userCount");
  issue.first_seen = string_field(item, "firstSeen");
  issue.last_seen = string_field(item, "lastSeen");
  if (auto project = item.find("project");
      project != item.end() && project->is_object()) {
    issue.project = string_field(*project, "slug");
  }
  if (auto metadata = item.find("metadata");
      metadata != item.end() && metadata->is_object()) {
    issue.metadata_type = string_field(*metadata, "type");
    issue.metadata_value = string_field(*metadata, "value");
  }
  return issue;
}

} // namespace

std::vector<Issue> list_issues(http::Api &api, const std::string &org,
                               const std::string &project,
                               const std::string &query, std::size_t limit) {
  std::string base = http::endpoint::project_issues(org, project) +
                     "?query=" + util::encode_query_value(query) + "&limit=" +
                     std::to_string(std::min<std::size_t>(limit, 100));
  std::string what = "project '" + org + "/" + project + "'";
  std::vector<Issue> issues;
  std::string path = base;
  while (issues.size() < limit) {
    http::Request request;
    request.url = api.url(path);
    http::Response response = api.send(request);
    if (!response.transport_error.empty() || response.status != 200) {
      api.fail(request, response, what);
    }
    json page = json::parse(response.body, nullptr, false);
    if (!page.is_array()) {
      throw Error("Sentry answered GET " + request.url +
                  " with something that is not a list of issues");
    }
    for (const auto &item : page) {
      if (item.is_object() && issues.size() < limit) {
        issues.push_back(issue_from_json(item));
      }
    }
    auto cursor = http::next_cursor(response);
    if (!cursor || page.empty()) {
      break;
    }
    path = base + "&cursor=" + util::encode_query_value(*cursor);
  }
  return issues;
}

std::string latest_event(http::Api &api, const std::string &issue_id) {
  json event = api.call("GET", http::endpoint::latest_event(issue_id), nullptr,
                        "the latest event of issue " + issue_id);
  return event.dump();
}

} // namespace uploader::issues
