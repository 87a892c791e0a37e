#include "uploader/cli/commands.hpp"

#include "uploader/cli/inject_command.hpp"
#include "uploader/cli/releases_command.hpp"
#include "uploader/cli/upload_command.hpp"

#include <array>

namespace uploader::cli {

namespace {

constexpr std::array k_common_options{
    OptionSpec{"help", 'h', Arity::flag, "", "Print this help and exit"},
    OptionSpec{"verbose", 'v', Arity::flag, "",
               "Print one line per file and per request"},
    OptionSpec{"quiet", 'q', Arity::flag, "", "Print errors only"},
    OptionSpec{"log-level", 0, Arity::value, "LEVEL",
               "trace|debug|info|warn|error (sentry-cli compatible)"},
};

const std::array k_commands{
    Command{"inject",
            "Add Sentry debug ids to JavaScript files and their source maps",
            "inject [OPTIONS] <PATH>...", inject_options(), run_inject},
    Command{"upload",
            "Upload JavaScript files and source maps to Sentry and wait "
            "until Sentry confirms them",
            "upload [OPTIONS] <PATH>...", upload_options(), run_upload},
    Command{"releases",
            "Create and finalize releases, set their commits, record deploys",
            "releases <new|finalize|set-commits|deploy> [OPTIONS] [VERSION]\n"
            "       sentry-sourcemaps releases new [--url URL] [--finalize] "
            "[VERSION]\n"
            "       sentry-sourcemaps releases finalize [--url URL] "
            "[--released TIME] [VERSION]\n"
            "       sentry-sourcemaps releases set-commits "
            "(--commit REPO@[PREV..]SHA... | --auto | --clear) [VERSION]\n"
            "       sentry-sourcemaps releases deploy --env ENV [--name NAME] "
            "[--url URL]\n"
            "                [--started TIME] [--finished TIME | --time "
            "SECONDS] [VERSION]\n\n"
            "VERSION defaults to --release, SENTRY_RELEASE, the CI's commit "
            "variable\n(GITHUB_SHA, CI_COMMIT_SHA, ...), then git rev-parse "
            "HEAD. TIME is Unix\nseconds, RFC 3339 or RFC 2822.",
            releases_options(), run_releases},
};

} // namespace

std::span<const OptionSpec> common_options() { return k_common_options; }

std::span<const Command> commands() { return k_commands; }

} // namespace uploader::cli
