#include "uploader/releases/release_api.hpp"

#include "uploader/http/paging.hpp"
#include "uploader/util/error.hpp"

#include <charconv>

namespace uploader::releases {

namespace {

using nlohmann::json;

json optional_string(const std::optional<std::string> &value) {
  return value ? json(*value) : json(nullptr);
}

json optional_date(const std::optional<TimePoint> &value) {
  return value ? json(format_rfc3339(*value)) : json(nullptr);
}

json parse_body(const http::Response &response) {
  auto body = json::parse(response.body, nullptr, false);
  return body.is_discarded() ? json::object() : body;
}

} // namespace

json projects_json(const std::vector<std::string> &projects) {
  json out = json::array();
  for (const auto &project : projects) {
    std::int64_t id = 0;
    const char *end = project.data() + project.size();
    auto [ptr, ec] = std::from_chars(project.data(), end, id);
    bool digits_only =
        !project.empty() &&
        project.find_first_not_of("0123456789") == std::string::npos;
    if (digits_only && ec == std::errc() && ptr == end) {
      out.push_back(id);
    } else {
      out.push_back(project);
    }
  }
  return out;
}

json new_release_json(const NewRelease &release) {
  json body = {{"version", release.version},
               {"projects", projects_json(release.projects)}};
  if (release.url) {
    body["url"] = *release.url;
  }
  if (release.date_started) {
    body["dateStarted"] = format_rfc3339(*release.date_started);
  }
  if (release.date_released) {
    body["dateReleased"] = format_rfc3339(*release.date_released);
  }
  return body;
}

json finalize_json(const std::vector<std::string> &projects,
                   const std::optional<std::string> &url,
                   TimePoint date_released) {
  json body = {{"dateReleased", format_rfc3339(date_released)}};
  if (!projects.empty()) {
    // Strings, unlike new_release_json: sentry-cli's UpdatedRelease has no
    // numeric serializer, and the server ignores the field on PUT anyway.
    body["projects"] = projects;
  }
  if (url) {
    body["url"] = *url;
  }
  return body;
}

json refs_json(const std::vector<CommitRef> &refs) {
  json list = json::array();
  for (const auto &ref : refs) {
    list.push_back({{"repository", ref.repository},
                    {"commit", ref.commit},
                    {"previousCommit", optional_string(ref.previous_commit)}});
  }
  return {{"refs", list}};
}

json deploy_json(const NewDeploy &deploy) {
  json body = {{"environment", deploy.environment},
               {"name", optional_string(deploy.name)},
               {"url", optional_string(deploy.url)},
               {"dateStarted", optional_date(deploy.date_started)},
               {"dateFinished", optional_date(deploy.date_finished)}};
  if (!deploy.projects.empty()) {
    body["projects"] = projects_json(deploy.projects);
  }
  return body;
}

void check_deploy_names(const std::string &environment,
                        const std::optional<std::string> &name,
                        std::string_view flag) {
  if (environment.empty() || environment.size() > 64 ||
      environment.find_first_of("/\n\r\f") != std::string::npos ||
      environment == "none") {
    throw UsageError(std::string(flag) + " '" + environment +
                     "' is not a valid Sentry environment: 1 to 64 "
                     "characters, no '/' or line breaks, not 'none'");
  }
  if (name && name->size() > 64) {
    throw UsageError("--name is longer than 64 characters; Sentry stores at "
                     "most 64");
  }
}

ReleaseApi::ReleaseApi(http::Api &api, std::string org)
    : m_api(api), m_org(std::move(org)) {}

bool ReleaseApi::Exchange::ok() const {
  return response.transport_error.empty() && response.status >= 200 &&
         response.status < 300;
}

ReleaseApi::Exchange ReleaseApi::send(const std::string &method,
                                      const std::string &path, const json *body,
                                      bool idempotent) {
  Exchange exchange;
  exchange.request.idempotent = idempotent;
  // Every answer but a DELETE's is a release, a deploy or a list.
  exchange.request.expects_json = method != "DELETE";
  exchange.request.method = method;
  exchange.request.url = m_api.url(path);
  if (body != nullptr) {
    exchange.request.body = body->dump();
    exchange.request.headers.emplace_back("Content-Type: application/json");
  }
  exchange.response = m_api.send(exchange.request);
  return exchange;
}

void ReleaseApi::fail_release(const Exchange &exchange,
                              const std::string &version) const {
  const auto &[request, response] = exchange;
  if (response.transport_error.empty() && response.status == 404) {
    throw ConfigError("release '" + version + "' not found in organization '" +
                      m_org + "' at " + m_api.base_url() + " (404 on " +
                      request.method + " " + request.url +
                      "); create it first with 'sentry-sourcemaps releases "
                      "new " +
                      version +
                      "', or check the organization and that the token can "
                      "see the release's projects");
  }
  m_api.fail(request, response, "release '" + version + "'");
}

ReleaseApi::Created ReleaseApi::create(const NewRelease &release) {
  json body = new_release_json(release);
  std::string path = http::endpoint::releases(m_org);
  Exchange exchange = send("POST", path, &body);
  if (!exchange.ok()) {
    json detail = parse_body(exchange.response);
    if (exchange.response.status == 400 && detail.contains("projects")) {
      std::string names;
      for (const auto &project : release.projects) {
        names += (names.empty() ? "'" : ", '") + project + "'";
      }
      std::string said = detail["projects"].is_array() &&
                                 !detail["projects"].empty() &&
                                 detail["projects"][0].is_string()
                             ? detail["projects"][0].get<std::string>()
                             : detail["projects"].dump();
      throw ConfigError("Sentry rejected the projects " + names +
                        " (400: " + said + "): one of them does not exist in " +
                        "organization '" + m_org +
                        "' or the token cannot see it; check --project or "
                        "SENTRY_PROJECT (slugs or numeric ids)");
    }
    m_api.fail(exchange.request, exchange.response,
               "organization '" + m_org + "'");
  }
  return Created{exchange.response.status != 208,
                 parse_body(exchange.response)};
}

json ReleaseApi::update(const std::string &version, const json &body) {
  std::string path = http::endpoint::release(m_org, version);
  Exchange exchange = send("PUT", path, &body);
  if (!exchange.ok()) {
    fail_release(exchange, version);
  }
  return parse_body(exchange.response);
}

std::vector<Repository> ReleaseApi::repositories() {
  std::string base = http::endpoint::repositories(m_org);
  std::vector<Repository> out;
  std::string path = base;
  // A bound against a server that never stops paginating.
  for (int page = 0; page < 1000; ++page) {
    Exchange exchange = send("GET", path, nullptr);
    if (!exchange.ok()) {
      m_api.fail(exchange.request, exchange.response,
                 "organization '" + m_org + "'");
    }
    json list = parse_body(exchange.response);
    if (!list.is_array()) {
      throw Error("Sentry answered GET " + exchange.request.url +
                  " with something that is not a list of repositories");
    }
    for (const auto &item : list) {
      auto text = [&](const char *key) {
        auto it = item.is_object() ? item.find(key) : item.end();
        return it != item.end() && it->is_string() ? it->get<std::string>()
                                                   : std::string();
      };
      if (!text("name").empty()) {
        out.push_back({text("name"), text("url")});
      }
    }
    auto cursor = http::next_cursor(exchange.response);
    if (!cursor) {
      break;
    }
    path = base + "?cursor=" + *cursor;
  }
  return out;
}

json ReleaseApi::create_deploy(const std::string &version,
                               const NewDeploy &deploy) {
  json body = deploy_json(deploy);
  std::string path = http::endpoint::release_deploys(m_org, version);
  // Each POST records one more deploy: never sent twice blindly.
  Exchange exchange = send("POST", path, &body, false);
  if (!exchange.ok()) {
    fail_release(exchange, version);
  }
  return parse_body(exchange.response);
}

std::string ReleaseApi::files_path(const std::vector<std::string> &projects,
                                   const std::string &version) const {
  return http::endpoint::release_files(
      m_org, version, projects.size() == 1 ? &projects.front() : nullptr);
}

std::vector<ReleaseFile>
ReleaseApi::files(const std::vector<std::string> &projects,
                  const std::string &version) {
  std::string base = files_path(projects, version);
  std::vector<ReleaseFile> out;
  std::string path = base;
  // A bound against a server that never stops paginating.
  for (int page = 0; page < 1000; ++page) {
    Exchange exchange = send("GET", path, nullptr);
    if (!exchange.ok()) {
      fail_release(exchange, version);
    }
    json list = parse_body(exchange.response);
    if (!list.is_array()) {
      throw Error("Sentry answered GET " + exchange.request.url +
                  " with something that is not a list of release files");
    }
    for (const auto &item : list) {
      if (!item.is_object() || !item.contains("name")) {
        continue;
      }
      ReleaseFile file;
      const json &id = item["id"];
      file.id = id.is_string() ? id.get<std::string>() : id.dump();
      file.name = item.value("name", "");
      if (auto it = item.find("dist"); it != item.end() && it->is_string()) {
        file.dist = it->get<std::string>();
      }
      out.push_back(std::move(file));
    }
    auto cursor = http::next_cursor(exchange.response);
    if (!cursor) {
      break;
    }
    path = base + "?cursor=" + *cursor;
  }
  return out;
}

void ReleaseApi::delete_file(const std::vector<std::string> &projects,
                             const std::string &version,
                             const std::string &id) {
  Exchange exchange =
      send("DELETE",
           files_path(projects, version) + http::encode_path_segment(id) + "/",
           nullptr);
  if (!exchange.ok() && exchange.response.status != 404) {
    fail_release(exchange, version);
  }
}

} // namespace uploader::releases
