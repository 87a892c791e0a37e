#pragma once

#include "uploader/http/api.hpp"
#include "uploader/releases/commits.hpp"
#include "uploader/releases/dates.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace uploader::releases {

// The cursor of the next page from a Link header, when there is one with
// results (sentry-cli's pagination.rs).
std::optional<std::string> next_cursor(const http::Response &response);

// Project slugs and ids as sentry-cli sends them: a string of digits that
// fits in a signed 64-bit integer becomes a JSON number (servers before
// 25.12.1 reject ids as strings), anything else stays a string.
nlohmann::json projects_json(const std::vector<std::string> &projects);

struct NewRelease {
  std::string version;
  std::vector<std::string> projects;
  std::optional<std::string> url;
  std::optional<TimePoint> date_started;
  std::optional<TimePoint> date_released;
};

// The body of POST .../releases/; absent optionals are left out.
nlohmann::json new_release_json(const NewRelease &release);

// The body of PUT .../releases/{version}/ that finalizes a release;
// `projects` are sent as given, as strings.
nlohmann::json finalize_json(const std::vector<std::string> &projects,
                             const std::optional<std::string> &url,
                             TimePoint date_released);

// The body of PUT .../releases/{version}/ that sets (or, empty, clears) the
// commits of a release by reference.
nlohmann::json refs_json(const std::vector<CommitRef> &refs);

struct NewDeploy {
  std::string environment;
  std::optional<std::string> name;
  std::optional<std::string> url;
  std::optional<TimePoint> date_started;
  std::optional<TimePoint> date_finished;
  std::vector<std::string> projects; // left out when empty
};

// The body of POST .../releases/{version}/deploys/; unset values are sent
// as null, as sentry-cli does.
nlohmann::json deploy_json(const NewDeploy &deploy);

// Sentry's release endpoints for one organization, with errors that say
// which release, project or repository is wrong.
class ReleaseApi {
public:
  ReleaseApi(http::Api &api, std::string org);

  struct Created {
    bool created = false; // 201; false for 208 Already Reported
    nlohmann::json release;
  };
  // POST .../releases/: creates the release or adds projects to it.
  Created create(const NewRelease &release);

  // PUT .../releases/{version}/ with `body`; returns the release.
  nlohmann::json update(const std::string &version, const nlohmann::json &body);

  // GET .../repos/, every page.
  std::vector<Repository> repositories();

  // POST .../releases/{version}/deploys/; returns the deploy.
  nlohmann::json create_deploy(const std::string &version,
                               const NewDeploy &deploy);

private:
  struct Exchange {
    http::Request request;
    http::Response response;
    bool ok() const;
  };
  // `idempotent`: see http::Request (false: creating a deploy).
  Exchange send(const std::string &method, const std::string &path,
                const nlohmann::json *body, bool idempotent = true);
  // Throws for a failed exchange about release `version`, explaining a 404
  // as a release that does not exist yet.
  [[noreturn]] void fail_release(const Exchange &exchange,
                                 const std::string &version) const;

  http::Api &m_api;
  std::string m_org;
};

} // namespace uploader::releases
