#include "uploader/releases/commits.hpp"

#include "uploader/util/error.hpp"
#include "uploader/util/strings.hpp"

#include <cctype>

namespace uploader::releases {

namespace {

std::string without_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> nonempty(const util::EnvGetter &getenv,
                                    const char *name) {
  auto value = getenv(name);
  if (!value || util::trim(*value).empty()) {
    return std::nullopt;
  }
  return std::string(util::trim(*value));
}

// A CI provider that exposes the commit being built and where its
// repository lives, for `--auto` without a git checkout.
struct CiSource {
  const char *provider;
  const char *commit_variable;
  std::optional<RemoteLocation> (*location)(const util::EnvGetter &);
};

std::optional<RemoteLocation> from_url(const util::EnvGetter &getenv,
                                       const char *name) {
  auto value = nonempty(getenv, name);
  return value ? parse_remote_url(*value) : std::nullopt;
}

std::optional<RemoteLocation> from_path(const util::EnvGetter &getenv,
                                        const char *name, std::string host) {
  auto value = nonempty(getenv, name);
  if (!value || value->find('/') == std::string::npos) {
    return std::nullopt;
  }
  return RemoteLocation{std::move(host), *value};
}

const CiSource k_ci_sources[] = {
    {"GitHub Actions", "GITHUB_SHA",
     [](const util::EnvGetter &env) -> std::optional<RemoteLocation> {
       auto server = nonempty(env, "GITHUB_SERVER_URL");
       auto host = server ? parse_remote_url(*server + "/x/y") : std::nullopt;
       return from_path(env, "GITHUB_REPOSITORY",
                        host ? host->host : "github.com");
     }},
    {"GitLab CI", "CI_COMMIT_SHA",
     [](const util::EnvGetter &env) {
       return from_url(env, "CI_PROJECT_URL");
     }},
    {"Bitbucket Pipelines", "BITBUCKET_COMMIT",
     [](const util::EnvGetter &env) {
       return from_path(env, "BITBUCKET_REPO_FULL_NAME", "bitbucket.org");
     }},
    {"CircleCI", "CIRCLE_SHA1",
     [](const util::EnvGetter &env) {
       return from_url(env, "CIRCLE_REPOSITORY_URL");
     }},
    {"Buildkite", "BUILDKITE_COMMIT",
     [](const util::EnvGetter &env) {
       return from_url(env, "BUILDKITE_REPO");
     }},
    {"Azure Pipelines", "BUILD_SOURCEVERSION",
     [](const util::EnvGetter &env) {
       return from_url(env, "BUILD_REPOSITORY_URI");
     }},
    {"Travis CI", "TRAVIS_COMMIT",
     [](const util::EnvGetter &env) {
       return from_path(env, "TRAVIS_REPO_SLUG", "github.com");
     }},
    {"Vercel", "VERCEL_GIT_COMMIT_SHA",
     [](const util::EnvGetter &env) -> std::optional<RemoteLocation> {
       auto provider = nonempty(env, "VERCEL_GIT_PROVIDER");
       auto owner = nonempty(env, "VERCEL_GIT_REPO_OWNER");
       auto slug = nonempty(env, "VERCEL_GIT_REPO_SLUG");
       if (!provider || !owner || !slug) {
         return std::nullopt;
       }
       std::string host =
           *provider == "bitbucket" ? "bitbucket.org" : *provider + ".com";
       return RemoteLocation{host, *owner + "/" + *slug};
     }},
    {"Jenkins", "GIT_COMMIT",
     [](const util::EnvGetter &env) { return from_url(env, "GIT_URL"); }},
    {"Netlify", "COMMIT_REF",
     [](const util::EnvGetter &env) {
       return from_url(env, "REPOSITORY_URL");
     }},
    {"AWS CodeBuild", "CODEBUILD_RESOLVED_SOURCE_VERSION",
     [](const util::EnvGetter &env) {
       return from_url(env, "CODEBUILD_SOURCE_REPO_URL");
     }},
    {"Drone", "DRONE_COMMIT_SHA",
     [](const util::EnvGetter &env) {
       return from_url(env, "DRONE_GIT_HTTP_URL");
     }},
    {"Semaphore", "SEMAPHORE_GIT_SHA",
     [](const util::EnvGetter &env) {
       return from_url(env, "SEMAPHORE_GIT_URL");
     }},
};

std::string known_names(std::span<const Repository> repositories) {
  if (repositories.empty()) {
    return "the organization has no repositories; connect one in Sentry "
           "under Settings > Integrations";
  }
  std::string names;
  for (const auto &repository : repositories) {
    names += names.empty() ? "" : ", ";
    names += repository.name;
  }
  return "known: " + names;
}

const Repository &require_match(const RemoteLocation &location,
                                const std::string &origin,
                                std::span<const Repository> repositories) {
  const Repository *match = match_repository(location, repositories);
  if (match == nullptr) {
    throw ConfigError(origin + " points to " + location.host + "/" +
                      location.path +
                      ", which is no repository of the organization (" +
                      known_names(repositories) +
                      "); give the commit with --commit REPO@SHA");
  }
  return *match;
}

} // namespace

CommitRef parse_commit_spec(std::string_view spec) {
  size_t at = spec.rfind('@');
  if (at == std::string_view::npos) {
    throw UsageError("--commit '" + std::string(spec) +
                     "' names no commit; write REPO@SHA or REPO@PREV..SHA, "
                     "or use --auto");
  }
  CommitRef ref;
  ref.repository = std::string(spec.substr(0, at));
  std::string_view commits = spec.substr(at + 1);
  if (size_t dots = commits.find(".."); dots != std::string_view::npos) {
    ref.previous_commit = std::string(commits.substr(0, dots));
    commits.remove_prefix(dots + 2);
    if (ref.previous_commit->empty()) {
      throw UsageError("--commit '" + std::string(spec) +
                       "' has an empty previous commit before '..'; write "
                       "REPO@PREV..SHA");
    }
  }
  ref.commit = std::string(commits);
  if (ref.repository.empty() || ref.commit.empty()) {
    throw UsageError("--commit '" + std::string(spec) +
                     "' needs a repository and a commit: REPO@SHA or "
                     "REPO@PREV..SHA");
  }
  return ref;
}

std::optional<RemoteLocation> parse_remote_url(std::string_view url) {
  std::string text(util::trim(url));
  std::string_view rest = text;
  std::string host;
  if (size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view authority = rest.substr(0, slash);
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
      authority.remove_prefix(at + 1);
    }
    host = std::string(authority.substr(0, authority.find(':')));
    rest.remove_prefix(slash + 1);
  } else {
    // scp-like "user@host:path". As in git, a ':' after a '/' or after a
    // single letter (a Windows drive) means a local path.
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos || colon == 1 ||
        rest.substr(0, colon).find('/') != std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view authority = rest.substr(0, colon);
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
      authority.remove_prefix(at + 1);
    }
    host = std::string(authority);
    rest.remove_prefix(colon + 1);
  }
  while (rest.starts_with('/')) {
    rest.remove_prefix(1);
  }
  while (rest.ends_with('/')) {
    rest.remove_suffix(1);
  }
  if (rest.ends_with(".git")) {
    rest.remove_suffix(4);
  }
  if (host.empty() || rest.find('/') == std::string_view::npos ||
      rest.ends_with('/')) {
    return std::nullopt;
  }
  return RemoteLocation{util::ascii_lower(host), std::string(rest)};
}

const Repository *match_repository(const RemoteLocation &location,
                                   std::span<const Repository> repositories) {
  auto bare_host = [](std::string host) {
    return host.starts_with("www.") ? host.substr(4) : host;
  };
  std::string path = util::ascii_lower(location.path);
  for (const auto &repository : repositories) {
    auto url = parse_remote_url(repository.url);
    if (url && bare_host(url->host) == bare_host(location.host) &&
        util::ascii_lower(url->path) == path) {
      return &repository;
    }
  }
  for (const auto &repository : repositories) {
    if (!parse_remote_url(repository.url) &&
        util::ascii_lower(without_spaces(repository.name)) == path) {
      return &repository;
    }
  }
  return nullptr;
}

CommitRef auto_commit_ref(const util::EnvGetter &getenv,
                          const config::GitRunner &git,
                          std::span<const Repository> repositories) {
  std::string remote = nonempty(getenv, "SENTRY_VCS_REMOTE").value_or("origin");
  if (auto head = git({"rev-parse", "HEAD"})) {
    auto url = git({"remote", "get-url", remote});
    auto location = url ? parse_remote_url(*url) : std::nullopt;
    if (!location) {
      throw ConfigError(
          "--auto: the git checkout has no usable remote '" + remote + "'" +
          (url ? " (its URL '" + std::string(util::trim(*url)) +
                     "' names no host and path)"
               : "") +
          "; add it with 'git remote add " + remote +
          " URL', set SENTRY_VCS_REMOTE, or use --commit REPO@SHA");
    }
    const Repository &repository = require_match(
        *location, "--auto: the git remote '" + remote + "'", repositories);
    return CommitRef{repository.name, std::string(util::trim(*head)),
                     std::nullopt};
  }
  for (const auto &source : k_ci_sources) {
    auto commit = nonempty(getenv, source.commit_variable);
    if (!commit) {
      continue;
    }
    auto location = source.location(getenv);
    if (!location) {
      throw ConfigError(std::string("--auto: found the commit in ") +
                        source.commit_variable + " (" + source.provider +
                        ") but not its repository; use --commit REPO@" +
                        *commit);
    }
    const Repository &repository = require_match(
        *location, std::string("--auto: the repository of ") + source.provider,
        repositories);
    return CommitRef{repository.name, *commit, std::nullopt};
  }
  throw ConfigError("--auto found no git checkout here and no CI variables "
                    "naming the commit (such as GITHUB_SHA, CI_COMMIT_SHA, "
                    "GIT_COMMIT); run it inside the checkout or use --commit "
                    "REPO@SHA");
}

} // namespace uploader::releases
