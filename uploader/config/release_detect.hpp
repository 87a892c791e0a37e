#pragma once

#include "uploader/config/config.hpp"
#include "uploader/util/environment.hpp"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::config {

// Runs `git` with these arguments; returns its standard output when it
// exits 0, nullopt otherwise (no git, not a checkout).
using GitRunner =
    std::function<std::optional<std::string>(const std::vector<std::string> &)>;

// The CI variables that carry the commit being built, in the order the
// Sentry bundler plugins' determineReleaseName() reads them: git hosts,
// then provider-specific variables, then generic ones last because other
// tools set them too.
std::span<const std::string_view> release_variables();

// Detects a release name the way the Vite plugin does when none is
// configured: the first non-empty variable of release_variables(), else
// `git rev-parse HEAD`. The source names the variable or the git command.
std::optional<Setting> detect_release(const util::EnvGetter &getenv,
                                      const GitRunner &git);

// `configured` (from --release, SENTRY_RELEASE or the env file, see
// load_config) if set, else detect_release(). Throws ConfigError when
// neither gives a name, and validates a detected one.
Setting resolve_release(const std::optional<Setting> &configured,
                        const util::EnvGetter &getenv, const GitRunner &git);

} // namespace uploader::config
