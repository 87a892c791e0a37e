#include "uploader/cli/resolve_command.hpp"

#include "uploader/cli/exit_codes.hpp"
#include "uploader/cli/options_common.hpp"
#include "uploader/cli/read_session.hpp"
#include "uploader/resolve/artifacts.hpp"
#include "uploader/resolve/event.hpp"
#include "uploader/resolve/server_lookup.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/redact.hpp"
#include "uploader/util/strings.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <iostream>

namespace uploader::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::array k_resolve_options{
    OptionSpec{"bundle", 'b', Arity::value, "FILE",
               "Look maps up in this artifact bundle (written by upload "
               "--bundle-out) instead of a folder"},
    OptionSpec{"event", 'e', Arity::value, "FILE",
               "Resolve every JavaScript and WebAssembly frame of this event "
               "(JSON), printed newest first and marked [in app] or [not in "
               "app] as Sentry decides it"},
    OptionSpec{"from-server", 0, Arity::flag, "",
               "With --event: download the bundles and WebAssembly debug "
               "files Sentry holds for the event's frames (reads "
               "SENTRY_READ_TOKEN, else SENTRY_AUTH_TOKEN)"},
    OptionSpec{"context", 'C', Arity::value, "LINES",
               "Lines of source shown around each position (default 3; 5 "
               "in --event --json)"},
    OptionSpec{"json", 0, Arity::flag, "",
               "Print JSON: the position, or the symbolicated event (in its "
               "own frame order, with Sentry's in_app)"},
    OptionSpec{"org", 'o', Arity::value, "ORG",
               "--from-server: organization slug"},
    OptionSpec{"project", 'p', Arity::repeated, "PROJECT",
               "--from-server: project slug"},
    OptionSpec{"url", 0, Arity::value, "URL",
               "--from-server: Sentry server (default https://sentry.io/)"},
    k_env_file_option,
};

struct Position {
  std::string file;
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

std::optional<std::uint32_t> number(std::string_view text) {
  std::uint32_t value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0) {
    return std::nullopt;
  }
  return value;
}

// `file:line:column` or `file:line`, split from the right so that URLs
// (`https://host/a.js:1:200`) keep their colons.
Position parse_position(const std::string &text) {
  auto bad = [&]() -> UsageError {
    return UsageError("'" + text +
                      "' is not <file>:<line>:<column> (1-based, as browsers "
                      "and Sentry show them), e.g. assets/index.js:1:2345");
  };
  size_t last = text.rfind(':');
  if (last == std::string::npos) {
    throw bad();
  }
  auto last_number = number(std::string_view(text).substr(last + 1));
  if (!last_number) {
    throw bad();
  }
  size_t before = last > 0 ? text.rfind(':', last - 1) : std::string::npos;
  if (before != std::string::npos) {
    std::string_view middle =
        std::string_view(text).substr(before + 1, last - before - 1);
    bool digits = !middle.empty() && middle.find_first_not_of("0123456789") ==
                                         std::string_view::npos;
    if (digits) {
      auto line = number(middle);
      if (!line) {
        throw bad();
      }
      return {text.substr(0, before), *line, *last_number};
    }
  }
  if (last == 0) {
    throw bad();
  }
  return {text.substr(0, last), *last_number, 1};
}

std::size_t context_option(const ParsedArgs &args, std::size_t fallback) {
  auto value = integer_option(args, "context");
  return value ? static_cast<std::size_t>(*value) : fallback;
}

void print_context(const resolve::OriginalPosition &original) {
  if (!original.context_line) {
    std::cout << "  (the map has no source contents for this file)\n";
    return;
  }
  std::uint32_t first =
      original.line - static_cast<std::uint32_t>(original.pre_context.size());
  size_t width =
      std::to_string(original.line + original.post_context.size()).size();
  auto line = [&](std::uint32_t number, const std::string &text, bool here) {
    std::string label = std::to_string(number);
    std::cout << (here ? "  > " : "    ")
              << std::string(width - label.size(), ' ') << label << " | "
              << text << "\n";
  };
  std::uint32_t n = first;
  for (const auto &text : original.pre_context) {
    line(n++, text, false);
  }
  line(n++, *original.context_line, true);
  for (const auto &text : original.post_context) {
    line(n++, text, false);
  }
}

json position_json(const resolve::OriginalPosition &original) {
  json out = {{"source", original.source},
              {"line", original.line},
              {"column", original.column},
              {"name", original.name ? json(*original.name) : json(nullptr)},
              {"pre_context", original.pre_context},
              {"context_line", original.context_line
                                   ? json(*original.context_line)
                                   : json(nullptr)},
              {"post_context", original.post_context}};
  return out;
}

fs::path folder_argument(const ParsedArgs &args, size_t index) {
  return args.positionals.size() > index
             ? util::path_from_utf8(args.positionals[index])
             : fs::path(".");
}

int run_position(const ParsedArgs &args) {
  if (args.has("from-server")) {
    throw UsageError("--from-server needs --event FILE; a single position is "
                     "resolved from a folder or --bundle");
  }
  if (args.positionals.empty() || args.positionals.size() > 2) {
    throw UsageError("resolve needs <file.js>:<line>:<column> and optionally "
                     "the folder with the maps, e.g. 'sentry-sourcemaps "
                     "resolve assets/index.js:1:2345 dist/'");
  }
  Position position = parse_position(args.positionals[0]);
  resolve::ArtifactSet artifacts;
  if (auto bundle = args.value("bundle")) {
    if (args.positionals.size() == 2) {
      throw UsageError("give either a folder or --bundle, not both");
    }
    artifacts.add_bundle(
        bundle::read_artifact_bundle(util::path_from_utf8(*bundle)), *bundle);
  } else {
    fs::path folder = folder_argument(args, 1);
    // A path to a file inside the folder is named by its artifact URL.
    std::error_code ec;
    fs::path file = util::path_from_utf8(position.file);
    if (fs::is_regular_file(file, ec)) {
      fs::path relative = fs::relative(fs::weakly_canonical(file),
                                       fs::weakly_canonical(folder), ec);
      if (!ec && !relative.empty() && *relative.begin() != "..") {
        position.file = "~/" + util::path_as_url(util::path_to_utf8(relative));
      }
    }
    artifacts.add_folder(folder);
  }
  resolve::FoundMap found = artifacts.map_for_file(position.file);
  auto original = found.index->lookup(position.line, position.column,
                                      context_option(args, 3));
  if (!original) {
    throw Error("the map " + found.map_url + " has no mapping for line " +
                std::to_string(position.line) + ", column " +
                std::to_string(position.column) +
                " (positions are 1-based: is this the minified file's "
                "position?)");
  }
  if (args.has("json")) {
    json out = position_json(*original);
    out["minified"] = {
        {"file", found.js_url.empty() ? position.file : found.js_url},
        {"line", position.line},
        {"column", position.column}};
    out["map"] = found.map_url;
    std::cout << util::redact(out.dump(2)) << "\n";
    return static_cast<int>(ExitCode::ok);
  }
  std::cout << original->source << ":" << original->line << ":"
            << original->column
            << (original->name ? " (" + *original->name + ")" : "") << "\n"
            << "  via " << found.map_url << "\n";
  print_context(*original);
  return static_cast<int>(ExitCode::ok);
}

// Where --event finds the maps and WebAssembly debug files: --bundle FILE
// (maps only), --from-server or a folder.
void add_event_artifacts(const ParsedArgs &args,
                         const resolve::EventNeeds &needs,
                         resolve::ArtifactSet &artifacts,
                         resolve::WasmModules &modules) {
  if (auto bundle = args.value("bundle")) {
    artifacts.add_bundle(
        bundle::read_artifact_bundle(util::path_from_utf8(*bundle)), *bundle);
    return;
  }
  if (!args.has("from-server")) {
    artifacts.add_folder(folder_argument(args, 0));
    modules.add_folder(folder_argument(args, 0));
    return;
  }
  config::ConfigInputs inputs = config_inputs(args);
  auto token = find_read_token(inputs);
  if (!token) {
    config::Config config = config::load_config(inputs);
    if (config.auth_token) {
      token = config.auth_token;
    }
  }
  if (!token) {
    throw AuthError("no token: set SENTRY_READ_TOKEN (a token with "
                    "project:read and event:read) or SENTRY_AUTH_TOKEN");
  }
  ReadSession session(args, *token);
  size_t count = resolve::add_server_bundles(
      session.api(), session.org(), session.project(), needs, artifacts);
  util::log_info("downloaded " + std::to_string(count) +
                 " artifact bundle(s) from Sentry");
  if (!needs.wasm_images.empty()) {
    size_t files = resolve::add_server_debug_files(
        session.api(), session.org(), session.project(), needs, modules);
    util::log_info("downloaded " + std::to_string(files) +
                   " WebAssembly debug file(s) from Sentry");
  }
}

// Every in-app frame (as Sentry decides it after symbolication) resolved;
// third-party frames may lack maps. Without any in-app frame, all must.
bool event_resolved(const std::vector<resolve::FrameResult> &frames) {
  bool any_in_app = false;
  for (const auto &frame : frames) {
    if (frame.in_app && !frame.original) {
      return false;
    }
    any_in_app = any_in_app || frame.in_app;
  }
  return any_in_app || std::ranges::all_of(frames, [](const auto &frame) {
           return frame.original.has_value();
         });
}

void print_event_frame(const resolve::FrameResult &frame) {
  std::string where =
      frame.instruction_addr
          ? frame.abs_path + " " + util::hex_address(*frame.instruction_addr)
          : frame.abs_path + ":" + std::to_string(frame.line) + ":" +
                std::to_string(frame.column);
  std::cout << "at " << (frame.function.empty() ? "?" : frame.function) << " ("
            << where << ")" << (frame.in_app ? " [in app]" : " [not in app]")
            << "\n";
  if (!frame.original) {
    std::cout << "   not resolved: " << frame.why << "\n";
    return;
  }
  const auto &original = *frame.original;
  std::cout << "   -> " << original.source << ":" << original.line << ":"
            << original.column
            << (original.name ? " (" + *original.name + ")" : "") << " ["
            << resolve::to_string(frame.found_by) << "]\n";
  if (original.context_line) {
    std::cout << "      " << original.line << " | " << *original.context_line
              << "\n";
  }
}

// Events store frames oldest first; Sentry's issue page (and so this list)
// shows the newest, the throwing frame, first.
void print_event_frames(const std::vector<resolve::FrameResult> &frames) {
  std::cout << "frames newest first (as Sentry shows them):\n";
  // Reverse iterators, not std::views::reverse: clang 14 with libstdc++ 12
  // (the fuzz preset) cannot compile the ranges header.
  for (auto frame = frames.rbegin(); frame != frames.rend(); ++frame) {
    print_event_frame(*frame);
  }
}

int run_event(const ParsedArgs &args) {
  std::string path = *args.value("event");
  std::error_code ec;
  if (!fs::is_regular_file(util::path_from_utf8(path), ec)) {
    throw UsageError("event file '" + path + "' does not exist");
  }
  int sources = (args.has("bundle") ? 1 : 0) +
                (args.has("from-server") ? 1 : 0) +
                (args.positionals.empty() ? 0 : 1);
  if (sources > 1 || args.positionals.size() > 1) {
    throw UsageError("give one place to find the maps: a folder, --bundle "
                     "FILE or --from-server");
  }
  std::string text = util::read_file(util::path_from_utf8(path));
  resolve::EventNeeds needs = resolve::event_needs(text, path);
  resolve::ArtifactSet artifacts;
  resolve::WasmModules modules;
  add_event_artifacts(args, needs, artifacts, modules);
  bool as_json = args.has("json");
  auto result = resolve::symbolicate_event(
      text, path, artifacts, modules, context_option(args, as_json ? 5 : 0));
  if (as_json) {
    // The event as Sentry stores it: its own frame order.
    std::cout << util::redact(result.symbolicated_json) << "\n";
  } else {
    print_event_frames(result.frames);
  }
  size_t resolved = std::ranges::count_if(result.frames, [](const auto &frame) {
    return frame.original.has_value();
  });
  util::log_info("resolved " + std::to_string(resolved) + " of " +
                 std::to_string(result.frames.size()) + " frames");
  return static_cast<int>(event_resolved(result.frames) ? ExitCode::ok
                                                        : ExitCode::failure);
}

} // namespace

std::span<const OptionSpec> resolve_options() { return k_resolve_options; }

int run_resolve(const ParsedArgs &args) {
  integer_option(args, "context");
  if (args.has("event")) {
    return run_event(args);
  }
  return run_position(args);
}

} // namespace uploader::cli
