#include "uploader/config/release_detect.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace uploader::config;
using uploader::ConfigError;

namespace {

struct World {
  std::map<std::string, std::string> env;
  std::optional<std::string> head; // git rev-parse HEAD output
  std::vector<std::vector<std::string>> git_calls;

  uploader::util::EnvGetter getenv() const {
    return [this](const std::string &key) -> std::optional<std::string> {
      auto it = env.find(key);
      return it == env.end() ? std::nullopt
                             : std::optional<std::string>(it->second);
    };
  }
  GitRunner git() {
    return [this](const std::vector<std::string> &args) {
      git_calls.push_back(args);
      return head;
    };
  }
};

// Every provider's variable, as the Vite plugin's determineReleaseName()
// reads them (user-needs.md §1e).
const std::vector<std::pair<std::string, std::string>> k_providers = {
    {"GitHub Actions", "GITHUB_SHA"},
    {"GitLab merge requests", "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA"},
    {"GitLab (old)", "CI_BUILD_REF"},
    {"GitLab / Woodpecker", "CI_COMMIT_SHA"},
    {"Bitbucket Pipelines", "BITBUCKET_COMMIT"},
    {"AppVeyor pull requests", "APPVEYOR_PULL_REQUEST_HEAD_COMMIT"},
    {"AppVeyor", "APPVEYOR_REPO_COMMIT"},
    {"AWS CodeBuild", "CODEBUILD_RESOLVED_SOURCE_VERSION"},
    {"AWS Amplify", "AWS_COMMIT_ID"},
    {"Azure Pipelines", "BUILD_SOURCEVERSION"},
    {"Bitrise", "GIT_CLONE_COMMIT_HASH"},
    {"Buddy", "BUDDY_EXECUTION_REVISION"},
    {"Buildkite", "BUILDKITE_COMMIT"},
    {"CircleCI", "CIRCLE_SHA1"},
    {"Cirrus CI", "CIRRUS_CHANGE_IN_REPO"},
    {"Codefresh", "CF_REVISION"},
    {"Codemagic", "CM_COMMIT"},
    {"Cloudflare Pages", "CF_PAGES_COMMIT_SHA"},
    {"Drone", "DRONE_COMMIT_SHA"},
    {"Flightcontrol", "FC_GIT_COMMIT_SHA"},
    {"Heroku CI", "HEROKU_TEST_RUN_COMMIT_VERSION"},
    {"Heroku slug", "HEROKU_SLUG_COMMIT"},
    {"Railway", "RAILWAY_GIT_COMMIT_SHA"},
    {"Render", "RENDER_GIT_COMMIT"},
    {"Semaphore", "SEMAPHORE_GIT_SHA"},
    {"Travis CI pull requests", "TRAVIS_PULL_REQUEST_SHA"},
    {"Vercel", "VERCEL_GIT_COMMIT_SHA"},
    {"Vercel GitHub (old)", "VERCEL_GITHUB_COMMIT_SHA"},
    {"Vercel GitLab (old)", "VERCEL_GITLAB_COMMIT_SHA"},
    {"Vercel Bitbucket (old)", "VERCEL_BITBUCKET_COMMIT_SHA"},
    {"Zeit GitHub", "ZEIT_GITHUB_COMMIT_SHA"},
    {"Zeit GitLab", "ZEIT_GITLAB_COMMIT_SHA"},
    {"Zeit Bitbucket", "ZEIT_BITBUCKET_COMMIT_SHA"},
    {"CodeShip", "CI_COMMIT_ID"},
    {"Coolify", "SOURCE_COMMIT"},
    {"Heroku build", "SOURCE_VERSION"},
    {"Jenkins", "GIT_COMMIT"},
    {"Netlify", "COMMIT_REF"},
    {"TeamCity", "BUILD_VCS_NUMBER"},
};

} // namespace

TEST(ReleaseDetect, ListsThePluginsVariablesInItsOrder) {
  std::vector<std::string> expected;
  for (const auto &[provider, variable] : k_providers) {
    expected.push_back(variable);
  }
  std::vector<std::string> actual(release_variables().begin(),
                                  release_variables().end());
  EXPECT_EQ(actual, expected);
}

TEST(ReleaseDetect, EachProvidersVariableAloneIsUsed) {
  for (const auto &[provider, variable] : k_providers) {
    World world;
    world.env[variable] = "sha-of-" + variable + "\n";
    world.head = "git-head\n";
    auto release = detect_release(world.getenv(), world.git());
    ASSERT_TRUE(release) << provider;
    EXPECT_EQ(release->value, "sha-of-" + variable) << provider;
    EXPECT_EQ(release->source, variable) << provider;
    EXPECT_TRUE(world.git_calls.empty()) << provider << ": ran git";
  }
}

TEST(ReleaseDetect, EarlierVariablesWinOverLaterOnes) {
  // Each variable against every later one: the plugin's precedence.
  for (size_t i = 0; i < k_providers.size(); ++i) {
    for (size_t j = i + 1; j < k_providers.size(); ++j) {
      World world;
      world.env[k_providers[j].second] = "later";
      world.env[k_providers[i].second] = "earlier";
      auto release = detect_release(world.getenv(), world.git());
      ASSERT_TRUE(release);
      EXPECT_EQ(release->value, "earlier")
          << k_providers[i].second << " vs " << k_providers[j].second;
    }
  }
}

TEST(ReleaseDetect, EmptyVariablesAreSkipped) {
  World world;
  world.env["GITHUB_SHA"] = "  ";
  world.env["CIRCLE_SHA1"] = "abc";
  EXPECT_EQ(detect_release(world.getenv(), world.git())->value, "abc");
}

TEST(ReleaseDetect, FallsBackToGitHead) {
  World world;
  world.head = "0123456789abcdef0123456789abcdef01234567\n";
  auto release = detect_release(world.getenv(), world.git());
  ASSERT_TRUE(release);
  EXPECT_EQ(release->value, "0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ(release->source, "git rev-parse HEAD");
  ASSERT_EQ(world.git_calls.size(), 1u);
  EXPECT_EQ(world.git_calls[0],
            (std::vector<std::string>{"rev-parse", "HEAD"}));
}

TEST(ReleaseDetect, NothingWithoutVariablesOrGit) {
  World world;
  EXPECT_FALSE(detect_release(world.getenv(), world.git()));
  world.head = "\n";
  EXPECT_FALSE(detect_release(world.getenv(), world.git()));
}

TEST(ReleaseDetect, ConfiguredReleaseWinsOverDetection) {
  World world;
  world.env["GITHUB_SHA"] = "abc";
  world.head = "def";
  Setting configured{"app@1.0", "SENTRY_RELEASE"};
  auto release = resolve_release(configured, world.getenv(), world.git());
  EXPECT_EQ(release.value, "app@1.0");
  EXPECT_EQ(release.source, "SENTRY_RELEASE");
}

TEST(ReleaseDetect, ResolveExplainsWhenNothingIsFound) {
  World world;
  try {
    resolve_release(std::nullopt, world.getenv(), world.git());
    FAIL() << "no error";
  } catch (const ConfigError &error) {
    EXPECT_STREQ(error.what(),
                 "no release given and none detected: set --release or "
                 "SENTRY_RELEASE, or run inside a git checkout");
  }
}

TEST(ReleaseDetect, ResolveValidatesWhatItDetected) {
  World world;
  world.env["GIT_COMMIT"] = "feature/x";
  try {
    resolve_release(std::nullopt, world.getenv(), world.git());
    FAIL() << "no error";
  } catch (const ConfigError &error) {
    EXPECT_NE(std::string(error.what()).find("(from GIT_COMMIT)"),
              std::string::npos)
        << error.what();
  }
}
