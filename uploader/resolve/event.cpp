#include "uploader/resolve/event.hpp"

#include "uploader/resolve/in_app.hpp"
#include "uploader/sourcemap/debug_id.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/strings.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace uploader::resolve {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json parse_event(std::string_view text, std::string_view what) {
  json event = json::parse(text, nullptr, false);
  if (!event.is_object()) {
    throw Error("event " + std::string(what) +
                " is not a JSON object; give an event as the SDK sends it or "
                "as GET /api/0/issues/{id}/events/latest/ returns it");
  }
  return event;
}

// The exception values of either event shape, as pointers into `event`.
std::vector<json *> exception_values(json &event) {
  std::vector<json *> values;
  auto collect = [&](json &exception) {
    json *list = &exception;
    if (exception.is_object()) {
      auto it = exception.find("values");
      if (it == exception.end()) {
        return;
      }
      list = &*it;
    }
    if (list->is_array()) {
      for (auto &value : *list) {
        if (value.is_object()) {
          values.push_back(&value);
        }
      }
    }
  };
  if (auto it = event.find("exception"); it != event.end()) {
    collect(*it);
  }
  if (auto it = event.find("entries"); it != event.end() && it->is_array()) {
    for (auto &entry : *it) {
      if (entry.is_object() && entry.value("type", "") == "exception" &&
          entry.contains("data")) {
        collect(entry["data"]);
      }
    }
  }
  return values;
}

std::optional<std::string> text_of(const json &object, const char *key) {
  auto it = object.find(key);
  if (it == object.end()) {
    return std::nullopt;
  }
  if (it->is_string()) {
    return it->get<std::string>();
  }
  // The API gives `release` as an object with its version.
  if (it->is_object() && it->contains("version") &&
      (*it)["version"].is_string()) {
    return (*it)["version"].get<std::string>();
  }
  return std::nullopt;
}

// Events come as the SDK sends them (snake_case: abs_path, lineno, colno,
// in_app) or as the API serializes them (absPath, lineNo, colNo, inApp).
struct FrameKeys {
  const char *abs_path;
  const char *lineno;
  const char *colno;
  const char *in_app;
  bool api;
};

FrameKeys keys_of(const json &frame) {
  if (frame.is_object() && frame.contains("absPath")) {
    return {"absPath", "lineNo", "colNo", "inApp", true};
  }
  // The browser SDK sends only `filename` (the script URL); Sentry copies it
  // into abs_path when it ingests the event.
  if (frame.is_object() && !frame.contains("abs_path") &&
      frame.contains("filename")) {
    return {"filename", "lineno", "colno", "in_app", false};
  }
  return {"abs_path", "lineno", "colno", "in_app", false};
}

std::optional<std::uint32_t> position_of(const json &frame, const char *key) {
  auto it = frame.find(key);
  if (it == frame.end() || !it->is_number_integer() || *it < 0) {
    return std::nullopt;
  }
  return it->get<std::uint32_t>();
}

// The frame's `function`, or empty.
std::string function_of(const json &frame) {
  auto it = frame.find("function");
  return it != frame.end() && it->is_string() ? it->get<std::string>() : "";
}

// The SDK's `in_app`, when it sent one.
std::optional<bool> sdk_in_app(const json &frame, const FrameKeys &keys) {
  auto it = frame.find(keys.in_app);
  if (it == frame.end() || !it->is_boolean()) {
    return std::nullopt;
  }
  return it->get<bool>();
}

bool is_js_frame(const json &frame) {
  FrameKeys keys = keys_of(frame);
  return frame.is_object() && frame.contains(keys.abs_path) &&
         frame[keys.abs_path].is_string() && position_of(frame, keys.lineno) &&
         position_of(frame, keys.colno);
}

// Every image of `debug_meta.images` (SDK form) or of the `debugmeta`
// entry (API form), in order: `addr_mode: rel:N` counts in this list.
std::vector<json> image_list(const json &event) {
  std::vector<json> images;
  auto add = [&](const json &meta) {
    if (meta.is_object() && meta.contains("images") &&
        meta["images"].is_array()) {
      for (const auto &image : meta["images"]) {
        images.push_back(image);
      }
    }
  };
  if (auto meta = event.find("debug_meta"); meta != event.end()) {
    add(*meta);
  }
  if (auto it = event.find("entries"); it != event.end() && it->is_array()) {
    for (const auto &entry : *it) {
      if (entry.is_object() && entry.value("type", "") == "debugmeta" &&
          entry.contains("data")) {
        add(entry["data"]);
      }
    }
  }
  return images;
}

// The source map images' debug ids by their code_file.
std::map<std::string, std::string>
debug_images(const std::vector<json> &images) {
  std::map<std::string, std::string> ids;
  for (const auto &image : images) {
    if (image.is_object() && image.value("type", "") == "sourcemap" &&
        image.contains("code_file") && image["code_file"].is_string() &&
        image.contains("debug_id") && image["debug_id"].is_string()) {
      ids[image["code_file"].get<std::string>()] =
          image["debug_id"].get<std::string>();
    }
  }
  return ids;
}

// A WebAssembly frame as @sentry/wasm writes it: `instruction_addr` (the
// byte offset into the module) and `addr_mode: "rel:N"`, N the index of a
// `wasm` image with a code ID. The API spells the keys in camelCase.
struct WasmFrame {
  std::uint64_t address = 0;
  std::string code_id;
  std::string code_file;
  std::string debug_id;
};

std::optional<std::string> string_at(const json &object, const char *snake,
                                     const char *camel) {
  for (const char *key : {snake, camel}) {
    auto it = object.find(key);
    if (it != object.end() && it->is_string()) {
      return it->get<std::string>();
    }
  }
  return std::nullopt;
}

std::optional<WasmFrame> wasm_frame(const json &frame,
                                    const std::vector<json> &images) {
  if (!frame.is_object()) {
    return std::nullopt;
  }
  auto address = string_at(frame, "instruction_addr", "instructionAddr");
  auto mode = string_at(frame, "addr_mode", "addrMode");
  if (!address || !mode || !mode->starts_with("rel:")) {
    return std::nullopt;
  }
  auto offset = util::parse_hex_address(*address);
  std::string_view digits = std::string_view(*mode).substr(4);
  if (!offset || digits.empty() || digits.size() > 6 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  std::size_t index = std::stoul(std::string(digits));
  if (index >= images.size() || !images[index].is_object() ||
      images[index].value("type", "") != "wasm") {
    return std::nullopt;
  }
  const json &image = images[index];
  auto code_id = string_at(image, "code_id", "codeId");
  if (!code_id) {
    return std::nullopt;
  }
  WasmFrame out;
  out.address = *offset;
  out.code_id = util::ascii_lower(*code_id);
  out.code_file = string_at(image, "code_file", "codeFile").value_or("");
  // @sentry/wasm's debug_id is the code ID's first 32 digits plus the age
  // "0"; Sentry stores the UUID.
  auto id = sourcemap::DebugId::parse(
      string_at(image, "debug_id", "debugId")
          .value_or((out.code_id + std::string(32, '0')).substr(0, 32)));
  out.debug_id = id ? id->to_string() : "";
  return out;
}

// The source lines of a WebAssembly frame, when its file is on this machine.
void add_local_context(OriginalPosition &original, std::size_t context) {
  std::error_code ec;
  fs::path path = util::path_from_utf8(original.source);
  if (original.line == 0 || !fs::is_regular_file(path, ec)) {
    return;
  }
  add_context(original, util::split_lines(util::read_file(path)),
              original.line - 1, context);
}

// The source path as Sentry shows it in `filename`: no scheme such as
// `webpack://`, no leading `./` or `../` segments.
std::string clean_filename(std::string source) {
  if (size_t scheme = source.find("://"); scheme != std::string::npos) {
    source.erase(0, scheme + 3);
  }
  while (source.starts_with("../") || source.starts_with("./")) {
    source.erase(0, source.find('/') + 1);
  }
  return source;
}

json frames_of(json &value) {
  auto stacktrace = value.find("stacktrace");
  if (stacktrace == value.end() || !stacktrace->is_object() ||
      !stacktrace->contains("frames") || !(*stacktrace)["frames"].is_array()) {
    return json();
  }
  return (*stacktrace)["frames"];
}

// The original source around the line, in the event's form.
void write_context(json &frame, const FrameKeys &keys,
                   const OriginalPosition &original) {
  if (original.context_line && keys.api) {
    // The API's form: [[line number, text], ...].
    json context = json::array();
    std::uint32_t n =
        original.line - static_cast<std::uint32_t>(original.pre_context.size());
    for (const auto &line : original.pre_context) {
      context.push_back({n++, line});
    }
    context.push_back({n++, *original.context_line});
    for (const auto &line : original.post_context) {
      context.push_back({n++, line});
    }
    frame["context"] = std::move(context);
  } else if (original.context_line) {
    frame["context_line"] = *original.context_line;
    frame["pre_context"] = original.pre_context;
    frame["post_context"] = original.post_context;
  }
}

// The SDK form's `data` of a resolved frame: what it was resolved with
// (the map or debug file, under `key`).
void mark_symbolicated(json &frame, const char *key, const FrameResult &out) {
  if (!frame.contains("data") || !frame["data"].is_object()) {
    frame["data"] = json::object();
  }
  frame["data"][key] = out.map_url;
  frame["data"]["resolved_with"] = std::string(to_string(out.found_by));
  frame["data"]["symbolicated"] = true;
}

// Rewrites a resolved frame the way Sentry stores it: original location,
// context, the map it came from and the in_app Sentry decided.
void write_resolved(json &frame, const FrameKeys &keys, const FrameResult &out,
                    std::optional<bool> in_app) {
  const OriginalPosition &original = *out.original;
  if (in_app) {
    frame[keys.in_app] = *in_app;
  }
  frame[keys.abs_path] = original.source;
  if (!keys.api) {
    frame["abs_path"] = original.source; // also for filename-only frames
  }
  frame["filename"] = clean_filename(original.source);
  frame[keys.lineno] = original.line;
  frame[keys.colno] = original.column;
  write_context(frame, keys, original);
  if (keys.api) {
    frame["mapUrl"] = out.map_url;
    frame["map"] = out.map_url.substr(out.map_url.rfind('/') + 1);
  } else {
    mark_symbolicated(frame, "sourcemap", out);
  }
}

// Rewrites a WebAssembly frame the way Sentry stores a symbolicated native
// frame: source file and line, the function DWARF names, the module as its
// package, and the status.
void write_resolved_wasm(json &frame, const FrameResult &out,
                         const std::string &path) {
  const OriginalPosition &original = *out.original;
  bool api = frame.contains("instructionAddr");
  frame[api ? "absPath" : "abs_path"] = original.source;
  frame["filename"] = path;
  frame[api ? "lineNo" : "lineno"] = original.line;
  if (original.column != 0) {
    frame[api ? "colNo" : "colno"] = original.column;
  }
  if (original.name) {
    frame["function"] = *original.name;
  }
  frame["package"] = out.abs_path;
  frame[api ? "symbolicatorStatus" : "symbolicator_status"] = "symbolicated";
  FrameKeys keys =
      api ? FrameKeys{"absPath", "lineNo", "colNo", "inApp", true}
          : FrameKeys{"abs_path", "lineno", "colno", "in_app", false};
  write_context(frame, keys, original);
  if (!api) {
    mark_symbolicated(frame, "debug_file", out);
  }
}

FrameResult resolve_wasm_frame(json &frame, const WasmFrame &wasm,
                               WasmModules &modules, std::size_t context_lines,
                               bool &changed) {
  FrameResult out;
  out.abs_path = wasm.code_file;
  out.instruction_addr = wasm.address;
  out.code_id = wasm.code_id;
  out.found_by = FoundBy::build_id;
  out.function = function_of(frame);
  out.in_app = sdk_in_app(frame, keys_of(frame)).value_or(false);
  auto found = modules.locate(wasm.code_id, wasm.address, out.why);
  if (!found) {
    return out;
  }
  OriginalPosition original;
  original.source = found->location.abs_path;
  original.line = found->location.line;
  original.column = found->location.column;
  if (!found->location.function.empty()) {
    original.name = found->location.function;
  }
  add_local_context(original, context_lines);
  out.original = std::move(original);
  out.map_url = found->origin;
  write_resolved_wasm(frame, out, found->location.path);
  changed = true;
  return out;
}

} // namespace

EventNeeds event_needs(std::string_view event_json, std::string_view what) {
  json event = parse_event(event_json, what);
  EventNeeds needs;
  needs.release = text_of(event, "release");
  needs.dist = text_of(event, "dist");
  auto all_images = image_list(event);
  auto images = debug_images(all_images);
  for (json *value : exception_values(event)) {
    json frames = frames_of(*value);
    if (!frames.is_array()) {
      continue;
    }
    for (const auto &frame : frames) {
      if (auto wasm = wasm_frame(frame, all_images)) {
        bool known =
            std::ranges::any_of(needs.wasm_images, [&](const auto &image) {
              return image.code_id == wasm->code_id;
            });
        if (!known) {
          needs.wasm_images.push_back(
              {wasm->code_id, wasm->debug_id, wasm->code_file});
        }
        ++needs.wasm_frames;
        continue;
      }
      if (!is_js_frame(frame)) {
        continue;
      }
      EventNeeds::Frame need;
      need.abs_path = frame[keys_of(frame).abs_path].get<std::string>();
      if (auto it = images.find(need.abs_path); it != images.end()) {
        need.debug_id = it->second;
      }
      needs.frames.push_back(std::move(need));
    }
  }
  if (needs.frames.empty() && needs.wasm_frames == 0) {
    throw Error("event " + std::string(what) +
                " has no JavaScript or WebAssembly exception frames (frames "
                "with abs_path or filename, lineno and colno, or with "
                "instruction_addr and addr_mode rel:N naming a wasm image, "
                "under exception.values[].stacktrace)");
  }
  return needs;
}

EventResult symbolicate_event(std::string_view event_json,
                              std::string_view what, ArtifactSet &artifacts,
                              WasmModules &modules, std::size_t context_lines) {
  event_needs(event_json, what); // the same checks, the same message
  json event = parse_event(event_json, what);
  std::optional<std::string> release = text_of(event, "release");
  auto all_images = image_list(event);
  auto images = debug_images(all_images);
  EventResult result;
  for (json *value : exception_values(event)) {
    auto stacktrace = value->find("stacktrace");
    if (stacktrace == value->end() || !stacktrace->is_object() ||
        !stacktrace->contains("frames") ||
        !(*stacktrace)["frames"].is_array()) {
      continue;
    }
    json raw = *stacktrace;
    bool changed = false;
    for (auto &frame : (*stacktrace)["frames"]) {
      if (auto wasm = wasm_frame(frame, all_images)) {
        result.frames.push_back(
            resolve_wasm_frame(frame, *wasm, modules, context_lines, changed));
        continue;
      }
      if (!is_js_frame(frame)) {
        continue;
      }
      FrameKeys keys = keys_of(frame);
      FrameResult out;
      out.abs_path = frame[keys.abs_path].get<std::string>();
      out.line = *position_of(frame, keys.lineno);
      out.column = *position_of(frame, keys.colno);
      out.function = function_of(frame);
      std::optional<bool> in_app = sdk_in_app(frame, keys);
      if (auto it = images.find(out.abs_path); it != images.end()) {
        out.debug_id = it->second;
      }
      auto found =
          artifacts.map_for_frame(out.debug_id, out.abs_path, release, out.why);
      if (found) {
        out.map_url = found->map_url;
        out.found_by = found->found_by;
        out.original =
            found->index->lookup(out.line, out.column, context_lines);
        if (!out.original) {
          out.why = "the map " + found->map_url + " has no mapping at line " +
                    std::to_string(out.line) + ", column " +
                    std::to_string(out.column);
        }
      }
      if (out.original) {
        // Sentry decides again from the original path (node_modules, ...).
        in_app = symbolicated_in_app(out.abs_path, out.map_url,
                                     out.original->source, in_app);
        write_resolved(frame, keys, out, in_app);
        changed = true;
      }
      out.in_app = in_app.value_or(false);
      result.frames.push_back(std::move(out));
    }
    if (changed) {
      (*value)["raw_stacktrace"] = std::move(raw);
    }
  }
  result.symbolicated_json = event.dump(2);
  return result;
}

} // namespace uploader::resolve
