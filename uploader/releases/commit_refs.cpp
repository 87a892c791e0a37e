#include "uploader/releases/commit_refs.hpp"

#include "uploader/util/error.hpp"

#include <algorithm>

namespace uploader::releases {

std::vector<CommitRef>
resolve_commit_refs(ReleaseApi &api, const std::string &org,
                    const std::vector<std::string> &specs, bool with_auto,
                    const util::EnvGetter &getenv,
                    const config::GitRunner &git) {
  std::vector<CommitRef> refs;
  for (const auto &spec : specs) {
    refs.push_back(parse_commit_spec(spec));
  }
  auto repositories = api.repositories();
  if (with_auto) {
    refs.push_back(auto_commit_ref(getenv, git, repositories));
    return refs;
  }
  std::vector<std::string> names;
  std::string known;
  for (const auto &repository : repositories) {
    names.push_back(repository.name);
    known += (known.empty() ? "" : ", ") + repository.name;
  }
  for (const auto &ref : refs) {
    if (std::ranges::find(names, ref.repository) == names.end()) {
      throw ConfigError(
          "repository '" + ref.repository + "' is not connected to " +
          "organization '" + org + "' (" +
          (names.empty() ? std::string("it has no repositories")
                         : "known: " + known) +
          "); add it in Sentry under Settings > Integrations, or fix "
          "--commit");
    }
  }
  return refs;
}

} // namespace uploader::releases
