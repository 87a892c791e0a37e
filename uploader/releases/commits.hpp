#pragma once

#include "uploader/config/release_detect.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::releases {

// One entry of a release's `refs`: the commit a repository was built at,
// and optionally the one the previous release was built at.
struct CommitRef {
  std::string repository;
  std::string commit;
  std::optional<std::string> previous_commit;

  bool operator==(const CommitRef &) const = default;
};

// Parses `--commit REPO@SHA` or `REPO@PREV..SHA` (sentry-cli's syntax).
// Throws UsageError saying what is missing.
CommitRef parse_commit_spec(std::string_view spec);

// A repository as the organization knows it (GET .../repos/).
struct Repository {
  std::string name; // "owner/repo" for GitHub, "Group / Project" for GitLab
  std::string url;  // the web URL, may be empty
};

// Where a git remote points: the host (lowercase, no user or port) and the
// repository path without ".git" ("owner/repo", "group/sub/project").
struct RemoteLocation {
  std::string host;
  std::string path;

  bool operator==(const RemoteLocation &) const = default;
};

// Parses a remote URL in the forms git hosts hand out: https://host/o/r.git,
// ssh://git@host:22/o/r.git, git@host:o/r.git, git://host/o/r, with or
// without credentials. Returns nullopt for local paths and anything else.
std::optional<RemoteLocation> parse_remote_url(std::string_view url);

// The repository `location` refers to: one whose URL has the same host and
// path, else one without a URL whose name is the path (case and spaces
// ignored).
const Repository *match_repository(const RemoteLocation &location,
                                   std::span<const Repository> repositories);

// The ref for `set-commits --auto`: HEAD of the local checkout, in the
// repository its remote (SENTRY_VCS_REMOTE, default "origin") points to.
// Without a checkout, the commit and repository come from CI variables
// (GitHub Actions, GitLab, Bitbucket, CircleCI, Buildkite, Azure, Travis,
// Vercel, Jenkins, Netlify, AWS CodeBuild, ...). Throws ConfigError naming
// what is missing or which repositories the organization has.
CommitRef auto_commit_ref(const util::EnvGetter &getenv,
                          const config::GitRunner &git,
                          std::span<const Repository> repositories);

} // namespace uploader::releases
