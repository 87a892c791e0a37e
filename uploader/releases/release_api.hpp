#pragma once

#include "uploader/http/api.hpp"
#include "uploader/releases/commits.hpp"
#include "uploader/releases/dates.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::releases {

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

// Throws UsageError for what the server's DeploySerializer would reject:
// an environment that is empty, longer than 64 characters, has '/' or a
// line break, or is "none"; a name longer than 64 characters. `flag`
// names the option the environment came from.
void check_deploy_names(const std::string &environment,
                        const std::optional<std::string> &name,
                        std::string_view flag = "--env");

// The body of POST .../releases/{version}/deploys/; unset values are sent
// as null, as sentry-cli does.
nlohmann::json deploy_json(const NewDeploy &deploy);

// A file stored with a release (legacy per-file artifacts).
struct ReleaseFile {
  std::string id;
  std::string name; // the artifact URL, "~/assets/app.js"
  std::optional<std::string> dist;
};

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

  // The path of a release's files: project-scoped with one project,
  // organization-scoped otherwise; relative to /api/0/, ending in '/'.
  std::string files_path(const std::vector<std::string> &projects,
                         const std::string &version) const;

  // GET {files_path}, every page.
  std::vector<ReleaseFile> files(const std::vector<std::string> &projects,
                                 const std::string &version);

  // DELETE {files_path}{id}/; a file already gone is fine.
  void delete_file(const std::vector<std::string> &projects,
                   const std::string &version, const std::string &id);

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
