#include "uploader/config/release_detect.hpp"

#include "uploader/util/error.hpp"
#include "uploader/util/strings.hpp"

namespace uploader::config {

namespace {

constexpr std::string_view k_release_variables[] = {
    // Git hosts.
    "GITHUB_SHA",
    "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", // GitLab
    "CI_BUILD_REF",                       // GitLab (older)
    "CI_COMMIT_SHA",                      // GitLab, Woodpecker
    "BITBUCKET_COMMIT",
    // CI providers with variables of their own.
    "APPVEYOR_PULL_REQUEST_HEAD_COMMIT", "APPVEYOR_REPO_COMMIT",
    "CODEBUILD_RESOLVED_SOURCE_VERSION", // AWS CodeBuild
    "AWS_COMMIT_ID",                     // AWS Amplify
    "BUILD_SOURCEVERSION",               // Azure Pipelines
    "GIT_CLONE_COMMIT_HASH",             // Bitrise
    "BUDDY_EXECUTION_REVISION", "BUILDKITE_COMMIT", "CIRCLE_SHA1",
    "CIRRUS_CHANGE_IN_REPO",
    "CF_REVISION",         // Codefresh
    "CM_COMMIT",           // Codemagic
    "CF_PAGES_COMMIT_SHA", // Cloudflare Pages
    "DRONE_COMMIT_SHA",
    "FC_GIT_COMMIT_SHA", // Flightcontrol
    "HEROKU_TEST_RUN_COMMIT_VERSION", "HEROKU_SLUG_COMMIT",
    "RAILWAY_GIT_COMMIT_SHA", "RENDER_GIT_COMMIT", "SEMAPHORE_GIT_SHA",
    "TRAVIS_PULL_REQUEST_SHA", "VERCEL_GIT_COMMIT_SHA",
    "VERCEL_GITHUB_COMMIT_SHA", "VERCEL_GITLAB_COMMIT_SHA",
    "VERCEL_BITBUCKET_COMMIT_SHA", "ZEIT_GITHUB_COMMIT_SHA",
    "ZEIT_GITLAB_COMMIT_SHA", "ZEIT_BITBUCKET_COMMIT_SHA",
    // Generic names, last: unrelated tools set them too.
    "CI_COMMIT_ID",     // CodeShip
    "SOURCE_COMMIT",    // Coolify
    "SOURCE_VERSION",   // Heroku
    "GIT_COMMIT",       // Jenkins
    "COMMIT_REF",       // Netlify
    "BUILD_VCS_NUMBER", // TeamCity
    // CI_COMMIT_SHA (Woodpecker) is already read above, for GitLab.
};

} // namespace

std::span<const std::string_view> release_variables() {
  return k_release_variables;
}

std::optional<Setting> detect_release(const util::EnvGetter &getenv,
                                      const GitRunner &git) {
  for (std::string_view name : k_release_variables) {
    if (auto value = getenv(std::string(name))) {
      std::string trimmed(util::trim(*value));
      if (!trimmed.empty()) {
        return Setting{trimmed, std::string(name)};
      }
    }
  }
  if (auto head = git({"rev-parse", "HEAD"})) {
    std::string trimmed(util::trim(*head));
    if (!trimmed.empty()) {
      return Setting{trimmed, "git rev-parse HEAD"};
    }
  }
  return std::nullopt;
}

Setting resolve_release(const std::optional<Setting> &configured,
                        const util::EnvGetter &getenv, const GitRunner &git) {
  if (configured) {
    return *configured;
  }
  auto detected = detect_release(getenv, git);
  if (!detected) {
    throw ConfigError("no release given and none detected: set --release or "
                      "SENTRY_RELEASE, or run inside a git checkout");
  }
  validate_release(*detected);
  return *detected;
}

} // namespace uploader::config
