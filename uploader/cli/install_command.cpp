#include "uploader/cli/install_command.hpp"

#include "uploader/cli/exit_codes.hpp"
#include "uploader/upload/install_tree.hpp"
#include "uploader/upload/stamp.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/platform.hpp"

#include <array>
#include <iostream>

namespace uploader::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array k_install_options{
    OptionSpec{"stamp-file", 0, Arity::value, "FILE",
               "The stamp the upload wrote: without one that confirms the "
               "folder as it is now, the bundle counts as not uploaded"},
    OptionSpec{
        "name", 0, Arity::value, "NAME",
        "The bundle's name in messages (sentry_sourcemaps_add_upload's)"},
    OptionSpec{"require-upload", 0, Arity::flag, "",
               "Fail, installing nothing, when the upload did not confirm "
               "the folder (SENTRY_SOURCEMAPS_REQUIRED=ON)"},
    OptionSpec{"manifest", 0, Arity::value, "FILE",
               "Write the installed files' paths there, one per line"},
    OptionSpec{"mirror", 0, Arity::flag, "",
               "Also remove the files under DESTINATION that DIR does not "
               "have (a deployable copy of DIR)"},
    OptionSpec{"done-file", 0, Arity::value, "FILE",
               "Rewrite FILE when DESTINATION changed (or FILE is missing): "
               "an output other build steps can depend on"},
};

std::string bundle_label(const ParsedArgs &args, const fs::path &folder) {
  auto name = args.value("name");
  return name ? "bundle '" + *name + "' (" + util::path_to_utf8(folder) + ")"
              : util::path_to_utf8(folder);
}

// Why the folder cannot count as uploaded, or empty when it does (or when
// no --stamp-file asks).
std::string unconfirmed_reason(const ParsedArgs &args, const fs::path &folder) {
  auto stamp = args.value("stamp-file");
  if (!stamp) {
    return "";
  }
  if (upload::stamp_confirms_folder(util::path_from_utf8(*stamp), folder)) {
    return "";
  }
  std::error_code ec;
  return fs::exists(util::path_from_utf8(*stamp), ec)
             ? "its files changed since the last confirmed upload"
             : "it was never uploaded (no token at build time, or the "
               "upload target did not run)";
}

std::string upload_hint(const ParsedArgs &args) {
  auto name = args.value("name");
  return name ? "build the target sentry-upload_" + *name +
                    " with SENTRY_AUTH_TOKEN set, then install again"
              : "upload it, then install again";
}

} // namespace

std::span<const OptionSpec> install_options() { return k_install_options; }

int run_install(const ParsedArgs &args) {
  if (args.positionals.size() != 2) {
    throw UsageError("install needs the bundle folder and the destination, "
                     "e.g. 'sentry-sourcemaps install dist/ "
                     "/usr/share/app/www'");
  }
  fs::path folder = util::path_from_utf8(args.positionals[0]);
  fs::path destination = util::path_from_utf8(args.positionals[1]);
  upload::check_bundle_folder(folder);
  std::error_code ec;
  if (args.has("require-upload") && !args.has("stamp-file")) {
    throw UsageError("--require-upload needs --stamp-file FILE: the stamp "
                     "the upload writes once Sentry confirmed it");
  }
  std::string reason = unconfirmed_reason(args, folder);
  if (!reason.empty() && args.has("require-upload")) {
    throw Error(bundle_label(args, folder) +
                " is not confirmed by Sentry: " + reason +
                ". SENTRY_SOURCEMAPS_REQUIRED is ON: nothing installed; " +
                upload_hint(args));
  }
  upload::InstallResult result =
      upload::install_tree(folder, destination, args.has("mirror"));
  // As CMake's own install() reports each file.
  bool quiet = args.has("quiet");
  auto report = [&](std::string_view what, const std::string &file) {
    if (!quiet) {
      std::cout << "-- " << what << ": "
                << util::path_to_utf8(destination / util::path_from_utf8(file))
                << "\n";
    }
  };
  for (const auto &file : result.written) {
    report("Installing", file);
  }
  for (const auto &file : result.up_to_date) {
    report("Up-to-date", file);
  }
  for (const auto &file : result.removed) {
    report("Removed", file);
  }
  if (auto done = args.value("done-file")) {
    fs::path done_file = util::path_from_utf8(*done);
    if (!result.written.empty() || !result.removed.empty() ||
        !result.stale_maps_removed.empty() || !fs::exists(done_file, ec)) {
      fs::create_directories(done_file.parent_path());
      util::write_file_atomic(done_file,
                              upload::folder_fingerprint(destination) + "\n");
    }
  }
  if (!reason.empty()) {
    util::log_warn(bundle_label(args, folder) +
                   " is not confirmed by Sentry: " + reason +
                   ". Installed without its " +
                   std::to_string(result.maps_left_out.size()) +
                   " source map(s), sourceMappingURL comments and DWARF, so "
                   "Sentry shows this build's errors minified; " +
                   upload_hint(args));
  } else if (!result.maps_left_out.empty()) {
    util::log_info("left out " + std::to_string(result.maps_left_out.size()) +
                   " source map(s) (uploaded, kept in the build folder)");
  }
  if (auto manifest = args.value("manifest")) {
    std::string text;
    for (const auto &path : result.installed) {
      text += util::path_to_utf8(path) + "\n";
    }
    fs::path manifest_file = util::path_from_utf8(*manifest);
    fs::create_directories(manifest_file.parent_path());
    util::write_file_atomic(manifest_file, text);
  }
  return static_cast<int>(ExitCode::ok);
}

} // namespace uploader::cli
