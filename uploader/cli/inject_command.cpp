#include "uploader/cli/inject_command.hpp"

#include "uploader/cli/exit_codes.hpp"
#include "uploader/cli/options_common.hpp"
#include "uploader/inject/inject.hpp"
#include "uploader/util/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <iostream>

namespace uploader::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array k_inject_options{
    OptionSpec{"ext", 'x', Arity::repeated, "EXT",
               "JavaScript file extensions to inject (default: js cjs mjs; "
               "replaces the defaults)"},
    OptionSpec{"ignore", 'i', Arity::repeated, "GLOB",
               "Skip files and folders matching this glob"},
    k_ignore_file_option,
    OptionSpec{"dry-run", 0, Arity::flag, "",
               "Compute everything, change no file"},
    OptionSpec{"json", 0, Arity::flag, "",
               "Print a JSON summary on stdout instead of the report"},
    OptionSpec{"skip-invalid", 0, Arity::flag, "",
               "Skip files that cannot be processed instead of failing"},
};

enum class Verbosity { quiet, normal, verbose };

using inject::Item;
using inject::Report;

void print_group(std::ostream &out, std::string_view title,
                 std::vector<Item> items, const Report &report, bool verbose) {
  if (items.empty()) {
    return;
  }
  std::ranges::sort(items, {}, &Item::path);
  out << "  " << title << " (" << items.size() << ")\n";
  if (!verbose) {
    return;
  }
  for (const auto &item : items) {
    out << "    " << item.debug_id.to_string() << " - " << item.path << "\n";
    auto it = report.warnings.find(item.path);
    if (it != report.warnings.end()) {
      for (const auto &warning : it->second) {
        out << "        - warning: " << warning << "\n";
      }
    }
  }
}

void print_modules(std::ostream &out, std::string_view title,
                   std::vector<inject::WasmModuleItem> items, bool verbose) {
  if (items.empty()) {
    return;
  }
  std::ranges::sort(items, {}, &inject::WasmModuleItem::path);
  out << "  " << title << " (" << items.size() << ")\n";
  if (!verbose) {
    return;
  }
  for (const auto &item : items) {
    out << "    " << item.code_id << " - " << item.path << "\n";
  }
}

nlohmann::json modules_json(std::vector<inject::WasmModuleItem> items) {
  std::ranges::sort(items, {}, &inject::WasmModuleItem::path);
  nlohmann::json list = nlohmann::json::array();
  for (const auto &item : items) {
    list.push_back({{"path", item.path},
                    {"build_id", item.code_id},
                    {"debug_id", item.debug_id}});
  }
  return list;
}

nlohmann::json items_json(std::vector<Item> items) {
  std::ranges::sort(items, {}, &Item::path);
  nlohmann::json list = nlohmann::json::array();
  for (const auto &item : items) {
    list.push_back(
        {{"path", item.path}, {"debug_id", item.debug_id.to_string()}});
  }
  return list;
}

} // namespace

std::span<const OptionSpec> inject_options() { return k_inject_options; }

int run_inject(const ParsedArgs &args) {
  if (args.positionals.empty()) {
    throw UsageError("inject needs at least one PATH (see 'sentry-sourcemaps "
                     "inject --help')");
  }
  bool json = args.has("json");
  bool dry_run = args.has("dry-run");
  Verbosity verbosity = Verbosity::normal;
  if (auto level = args.value("log-level")) {
    if (*level == "error") {
      verbosity = Verbosity::quiet;
    } else if (*level == "trace" || *level == "debug") {
      verbosity = Verbosity::verbose;
    }
  }
  if (args.has("verbose")) {
    verbosity = Verbosity::verbose;
  }
  if (args.has("quiet")) {
    verbosity = Verbosity::quiet;
  }
  std::ostream &human = json ? std::cerr : std::cout;
  bool show = verbosity != Verbosity::quiet && !json;

  inject::InjectOptions options;
  options.roots = args.positionals;
  options.extensions = extensions_option(args, discovery::k_inject_extensions);
  options.ignores = args.values("ignore");
  options.ignore_file_lines = read_ignore_files(args);
  options.dry_run = dry_run;
  options.skip_invalid = args.has("skip-invalid");
  if (show) {
    for (const auto &root : options.roots) {
      human << "> Searching " << root << "\n";
    }
  }
  inject::InjectResult result = inject::inject_debug_ids(options);
  if (result.recovered > 0) {
    std::cerr << "> finished " << result.recovered
              << " file replacement(s) of an earlier inject that was "
                 "interrupted\n";
  }
  if (show) {
    human << "> Found " << result.files_found
          << (result.files_found == 1 ? " file\n" : " files\n");
  }
  const std::vector<std::string> &errors = result.errors;
  Report &report = result.report;
  if (!errors.empty()) {
    for (const auto &error : errors) {
      std::cerr << "sentry-sourcemaps: error: " << error << "\n";
    }
    std::cerr << "sentry-sourcemaps: error: no file was changed ("
              << errors.size() << (errors.size() == 1 ? " file" : " files")
              << " could not be processed"
              << (result.errors_skippable ? "; --skip-invalid skips them" : "")
              << ")\n";
    return static_cast<int>(ExitCode::failure);
  }

  if (verbosity != Verbosity::quiet) {
    for (const auto &[path, warnings] : report.warnings) {
      for (const auto &warning : warnings) {
        std::cerr << "warning: " << path << ": " << warning << "\n";
      }
    }
    for (const auto &[path, reason] : report.skipped) {
      std::cerr << "warning: skipped " << path << ": " << reason << "\n";
    }
  }
  if (json) {
    nlohmann::json summary{
        {"dry_run", dry_run},
        {"modified_sources", items_json(report.injected)},
        {"modified_sourcemaps", items_json(report.sourcemaps)},
        {"ignored_sources", items_json(report.previously_injected)},
        {"ignored_sourcemaps", items_json(report.skipped_sourcemaps)},
        {"modified_wasm_modules", modules_json(report.build_ids_given)},
        {"ignored_wasm_modules", modules_json(report.build_ids_kept)},
    };
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto &[path, reason] : report.skipped) {
      skipped.push_back({{"path", path}, {"reason", reason}});
    }
    summary["skipped"] = skipped;
    std::cout << summary.dump(2) << "\n";
  } else if (show) {
    bool empty = report.injected.empty() && report.sourcemaps.empty() &&
                 report.previously_injected.empty() &&
                 report.skipped_sourcemaps.empty() &&
                 report.build_ids_given.empty() &&
                 report.build_ids_kept.empty();
    if (empty) {
      human << "> Nothing to inject\n";
    } else {
      bool verbose = verbosity == Verbosity::verbose;
      human << "\nSource Map Debug ID Injection Report"
            << (dry_run ? " (dry run, no file changed)" : "") << "\n";
      print_group(human,
                  "Modified: The following source files have been modified "
                  "to have debug ids",
                  report.injected, report, verbose);
      print_group(human,
                  "Modified: The following sourcemap files have been "
                  "modified to have debug ids",
                  report.sourcemaps, report, verbose);
      print_group(human,
                  "Ignored: The following source files already have debug "
                  "ids",
                  report.previously_injected, report, verbose);
      print_group(human,
                  "Ignored: The following sourcemap files already have debug "
                  "ids",
                  report.skipped_sourcemaps, report, verbose);
      print_modules(human,
                    "Modified: The following WebAssembly modules have been "
                    "given a build ID",
                    report.build_ids_given, verbose);
      print_modules(human,
                    "Ignored: The following WebAssembly modules already have "
                    "a build ID",
                    report.build_ids_kept, verbose);
    }
  }
  return static_cast<int>(ExitCode::ok);
}

} // namespace uploader::cli
