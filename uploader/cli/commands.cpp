#include "uploader/cli/commands.hpp"

#include "uploader/cli/doctor_command.hpp"
#include "uploader/cli/inject_command.hpp"
#include "uploader/cli/install_command.hpp"
#include "uploader/cli/issues_command.hpp"
#include "uploader/cli/releases_command.hpp"
#include "uploader/cli/resolve_command.hpp"
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
            "Add Sentry debug ids to JavaScript files and their source maps, "
            "and build IDs to WebAssembly modules",
            "inject [OPTIONS] <PATH>...", inject_options(), false, run_inject},
    Command{"upload",
            "Upload JavaScript files and source maps (and WebAssembly "
            "modules' DWARF) to Sentry and wait until Sentry confirms them",
            "upload [OPTIONS] <PATH>...", upload_options(), true, run_upload},
    Command{"install",
            "Copy a bundle folder as it may be deployed: no source map, no "
            "map comment, no DWARF",
            "install [OPTIONS] <DIR> <DESTINATION>\n\n"
            "What sentry_sourcemaps_install() runs at cmake --install and "
            "CPack time. It\nwarns when --stamp-file does not confirm an "
            "upload of DIR as it is now\n(--require-upload: fails and "
            "installs nothing). DIR is never changed.",
            install_options(), false, run_install},
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
            releases_options(), true, run_releases},
    Command{"resolve",
            "Show the original file, line and code of a minified position "
            "or of an event's frames",
            "resolve [OPTIONS] <FILE.js>:<LINE>:<COLUMN> [DIR]\n"
            "       sentry-sourcemaps resolve --event EVENT.json "
            "(--bundle FILE | --from-server | DIR)\n\n"
            "Lines and columns are 1-based. Maps come from DIR (default: the "
            "current\nfolder) before upload deletes them, or from a bundle "
            "written by\n'upload --dry-run --bundle-out FILE'.\n\n"
            "--event lists the frames newest first, as Sentry shows them, "
            "marked in app or\nnot as Sentry decides it (not in app when "
            "resolved into node_modules/, else\nthe SDK's in_app). It exits "
            "0 when every in-app frame resolves.",
            resolve_options(), true, run_resolve},
    Command{"doctor",
            "Check the setup: tokens, scopes, organization, project, env "
            "file, and the maps in DIR",
            "doctor [OPTIONS] [DIR]\n\n"
            "Prints one line per check with a fix for each problem; exits 0 "
            "only when\nnone fails (warnings do not fail).",
            doctor_options(), true, run_doctor},
    Command{"issues",
            "List the project's issues with the read token, and check that "
            "their frames are symbolicated",
            "issues [--query QUERY] [--limit N] [--json] "
            "[--check-symbolication]\n\n"
            "Reads SENTRY_READ_TOKEN (event:read, project:read), never the "
            "upload token.",
            issues_options(), true, run_issues},
};

} // namespace

std::span<const OptionSpec> common_options() { return k_common_options; }

std::span<const Command> commands() { return k_commands; }

} // namespace uploader::cli
