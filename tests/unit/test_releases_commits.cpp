#include "uploader/releases/commits.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace uploader::releases;
using uploader::ConfigError;
using uploader::UsageError;

namespace {

std::optional<RemoteLocation> loc(std::string host, std::string path) {
  return RemoteLocation{std::move(host), std::move(path)};
}

struct World {
  std::map<std::string, std::string> env;
  std::map<std::string, std::string> git; // "rev-parse HEAD" -> output

  uploader::util::EnvGetter getenv() const {
    return [this](const std::string &key) -> std::optional<std::string> {
      auto it = env.find(key);
      return it == env.end() ? std::nullopt
                             : std::optional<std::string>(it->second);
    };
  }
  uploader::config::GitRunner runner() const {
    return [this](const std::vector<std::string> &args)
               -> std::optional<std::string> {
      std::string key;
      for (const auto &arg : args) {
        key += (key.empty() ? "" : " ") + arg;
      }
      auto it = git.find(key);
      return it == git.end() ? std::nullopt
                             : std::optional<std::string>(it->second);
    };
  }
};

const std::vector<Repository> k_repos = {
    {"acme/web", "https://github.com/acme/web"},
    {"Group / Sub / Project", "https://gitlab.com/group/sub/project"},
    {"team/app", "https://bitbucket.org/team/app"},
    {"acme/nourl", ""},
};

std::string error_of(const World &world) {
  try {
    auto ref = auto_commit_ref(world.getenv(), world.runner(), k_repos);
    return "no error: " + ref.repository + "@" + ref.commit;
  } catch (const ConfigError &error) {
    return error.what();
  }
}

} // namespace

TEST(ReleasesCommits, ParsesCommitSpecs) {
  EXPECT_EQ(parse_commit_spec("acme/web@abc123"),
            (CommitRef{"acme/web", "abc123", std::nullopt}));
  EXPECT_EQ(parse_commit_spec("acme/web@abc..def"),
            (CommitRef{"acme/web", "def", "abc"}));
  EXPECT_EQ(parse_commit_spec("Group / Project@v1.0..v1.1"),
            (CommitRef{"Group / Project", "v1.1", "v1.0"}));
  // The last '@' separates: repository names have none, refs might not.
  EXPECT_EQ(parse_commit_spec("a@b@c"), (CommitRef{"a@b", "c", std::nullopt}));
}

TEST(ReleasesCommits, RejectsIncompleteCommitSpecs) {
  for (const char *spec : {"acme/web", "acme/web@", "@abc", "acme/web@..def",
                           "acme/web@abc..", ""}) {
    EXPECT_THROW(parse_commit_spec(spec), UsageError) << spec;
  }
}

TEST(ReleasesCommits, ParsesRemoteUrls) {
  EXPECT_EQ(parse_remote_url("git@github.com:acme/web.git"),
            loc("github.com", "acme/web"));
  EXPECT_EQ(parse_remote_url("https://github.com/acme/web.git\n"),
            loc("github.com", "acme/web"));
  EXPECT_EQ(parse_remote_url("https://github.com/acme/web"),
            loc("github.com", "acme/web"));
  EXPECT_EQ(parse_remote_url("https://x-access-token:secret@GitHub.com/acme/"
                             "web.git/"),
            loc("github.com", "acme/web"));
  EXPECT_EQ(parse_remote_url("ssh://git@github.com:22/acme/web.git"),
            loc("github.com", "acme/web"));
  EXPECT_EQ(parse_remote_url("git://github.com/acme/web"),
            loc("github.com", "acme/web"));
  EXPECT_EQ(parse_remote_url("git@gitlab.com:group/sub/project.git"),
            loc("gitlab.com", "group/sub/project"));
  EXPECT_EQ(parse_remote_url("https://gitlab.example.com:8443/group/project"),
            loc("gitlab.example.com", "group/project"));
  EXPECT_EQ(parse_remote_url("git@bitbucket.org:team/app.git"),
            loc("bitbucket.org", "team/app"));
  EXPECT_EQ(parse_remote_url("https://someone@bitbucket.org/team/app.git"),
            loc("bitbucket.org", "team/app"));
  EXPECT_EQ(parse_remote_url("ssh://git@bitbucket.org/team/app.git"),
            loc("bitbucket.org", "team/app"));
}

TEST(ReleasesCommits, RejectsRemotesWithoutHostAndPath) {
  for (const char *url :
       {"", "/srv/git/web.git", "./web", "../other/web.git", "file:///srv/web",
        "https://github.com/", "https://github.com/acme", "git@github.com:web",
        "C:/repos/web"}) {
    EXPECT_FALSE(parse_remote_url(url).has_value()) << url;
  }
}

TEST(ReleasesCommits, MatchesRepositoriesByUrlThenName) {
  EXPECT_EQ(match_repository({"github.com", "ACME/Web"}, k_repos), &k_repos[0]);
  EXPECT_EQ(match_repository({"www.github.com", "acme/web"}, k_repos),
            &k_repos[0]);
  EXPECT_EQ(match_repository({"gitlab.com", "group/sub/project"}, k_repos),
            &k_repos[1]);
  EXPECT_EQ(match_repository({"bitbucket.org", "team/app"}, k_repos),
            &k_repos[2]);
  // No URL: the name decides, whatever the host.
  EXPECT_EQ(match_repository({"github.example.com", "acme/nourl"}, k_repos),
            &k_repos[3]);
  // GitLab names ("Group / Project") match their path without spaces.
  std::vector<Repository> named = {{"Group / Project", ""}};
  EXPECT_EQ(match_repository({"gitlab.com", "group/project"}, named),
            &named[0]);
  EXPECT_EQ(match_repository({"github.com", "acme/other"}, k_repos), nullptr);
  EXPECT_EQ(match_repository({"gitlab.com", "acme/web"}, k_repos), nullptr);
}

TEST(ReleasesCommits, AutoUsesHeadAndTheRemoteOfTheCheckout) {
  World world;
  world.git["rev-parse HEAD"] = "d4bb398dc73dac7d8e162261bafdd573cb10a0c7\n";
  world.git["remote get-url origin"] = "git@github.com:acme/web.git\n";
  world.env["GITHUB_SHA"] = "ignored-in-a-checkout";
  auto ref = auto_commit_ref(world.getenv(), world.runner(), k_repos);
  EXPECT_EQ(ref,
            (CommitRef{"acme/web", "d4bb398dc73dac7d8e162261bafdd573cb10a0c7",
                       std::nullopt}));
}

TEST(ReleasesCommits, AutoHonoursSentryVcsRemote) {
  World world;
  world.git["rev-parse HEAD"] = "abc\n";
  world.git["remote get-url upstream"] = "https://bitbucket.org/team/app";
  world.env["SENTRY_VCS_REMOTE"] = "upstream";
  EXPECT_EQ(auto_commit_ref(world.getenv(), world.runner(), k_repos),
            (CommitRef{"team/app", "abc", std::nullopt}));
}

TEST(ReleasesCommits, AutoFailsClearlyInACheckout) {
  World world;
  world.git["rev-parse HEAD"] = "abc\n";
  EXPECT_EQ(error_of(world),
            "--auto: the git checkout has no usable remote 'origin'; add it "
            "with 'git remote add origin URL', set SENTRY_VCS_REMOTE, or use "
            "--commit REPO@SHA");
  world.git["remote get-url origin"] = "git@github.com:someone/fork.git";
  EXPECT_EQ(error_of(world),
            "--auto: the git remote 'origin' points to github.com/someone/"
            "fork, which is no repository of the organization (known: "
            "acme/web, Group / Sub / Project, team/app, acme/nourl); give the "
            "commit with --commit REPO@SHA");
}

TEST(ReleasesCommits, AutoWithoutCheckoutReadsEachCiProvider) {
  struct Case {
    std::map<std::string, std::string> env;
    std::string repository;
  };
  const std::vector<Case> cases = {
      {{{"GITHUB_SHA", "c1"}, {"GITHUB_REPOSITORY", "acme/web"}}, "acme/web"},
      {{{"GITHUB_SHA", "c1"},
        {"GITHUB_REPOSITORY", "acme/web"},
        {"GITHUB_SERVER_URL", "https://github.com"}},
       "acme/web"},
      {{{"CI_COMMIT_SHA", "c1"},
        {"CI_PROJECT_URL", "https://gitlab.com/group/sub/project"}},
       "Group / Sub / Project"},
      {{{"BITBUCKET_COMMIT", "c1"}, {"BITBUCKET_REPO_FULL_NAME", "team/app"}},
       "team/app"},
      {{{"CIRCLE_SHA1", "c1"},
        {"CIRCLE_REPOSITORY_URL", "git@github.com:acme/web.git"}},
       "acme/web"},
      {{{"BUILDKITE_COMMIT", "c1"},
        {"BUILDKITE_REPO", "git@github.com:acme/web.git"}},
       "acme/web"},
      {{{"BUILD_SOURCEVERSION", "c1"},
        {"BUILD_REPOSITORY_URI", "https://github.com/acme/web"}},
       "acme/web"},
      {{{"TRAVIS_COMMIT", "c1"}, {"TRAVIS_REPO_SLUG", "acme/web"}}, "acme/web"},
      {{{"VERCEL_GIT_COMMIT_SHA", "c1"},
        {"VERCEL_GIT_PROVIDER", "bitbucket"},
        {"VERCEL_GIT_REPO_OWNER", "team"},
        {"VERCEL_GIT_REPO_SLUG", "app"}},
       "team/app"},
      {{{"VERCEL_GIT_COMMIT_SHA", "c1"},
        {"VERCEL_GIT_PROVIDER", "github"},
        {"VERCEL_GIT_REPO_OWNER", "acme"},
        {"VERCEL_GIT_REPO_SLUG", "web"}},
       "acme/web"},
      {{{"GIT_COMMIT", "c1"}, {"GIT_URL", "https://github.com/acme/web.git"}},
       "acme/web"},
      {{{"COMMIT_REF", "c1"},
        {"REPOSITORY_URL", "https://github.com/acme/web"}},
       "acme/web"},
      {{{"CODEBUILD_RESOLVED_SOURCE_VERSION", "c1"},
        {"CODEBUILD_SOURCE_REPO_URL", "https://github.com/acme/web.git"}},
       "acme/web"},
      {{{"DRONE_COMMIT_SHA", "c1"},
        {"DRONE_GIT_HTTP_URL", "https://github.com/acme/web.git"}},
       "acme/web"},
      {{{"SEMAPHORE_GIT_SHA", "c1"},
        {"SEMAPHORE_GIT_URL", "git@github.com:acme/web.git"}},
       "acme/web"},
  };
  for (const auto &c : cases) {
    World world;
    world.env = c.env;
    auto ref = auto_commit_ref(world.getenv(), world.runner(), k_repos);
    EXPECT_EQ(ref, (CommitRef{c.repository, "c1", std::nullopt}))
        << c.env.begin()->first;
  }
}

TEST(ReleasesCommits, AutoWithoutCheckoutFailsClearly) {
  World world;
  EXPECT_EQ(error_of(world),
            "--auto found no git checkout here and no CI variables naming "
            "the commit (such as GITHUB_SHA, CI_COMMIT_SHA, GIT_COMMIT); run "
            "it inside the checkout or use --commit REPO@SHA");
  world.env["GIT_COMMIT"] = "c1";
  EXPECT_EQ(error_of(world),
            "--auto: found the commit in GIT_COMMIT (Jenkins) but not its "
            "repository; use --commit REPO@c1");
  world.env["GIT_URL"] = "https://github.com/acme/elsewhere.git";
  EXPECT_NE(error_of(world).find("the repository of Jenkins points to "
                                 "github.com/acme/elsewhere, which is no "
                                 "repository"),
            std::string::npos)
      << error_of(world);
}
