#include "uploader/issues/symbolication.hpp"

#include "uploader/issues/json_fields.hpp"
#include "uploader/util/error.hpp"

#include <nlohmann/json.hpp>

#include <cctype>

namespace uploader::issues {

namespace {

using nlohmann::json;

constexpr std::uint32_t k_minified_column = 1000;

std::int64_t number(const json &object, const char *key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>()
                                                       : 0;
}

void collect_frames(const json &values, std::vector<json> &frames) {
  const json *list = &values;
  if (values.is_object()) {
    if (!values.contains("values")) {
      return;
    }
    list = &values["values"];
  }
  if (!list->is_array()) {
    return;
  }
  for (const auto &value : *list) {
    if (!value.is_object() || !value.contains("stacktrace") ||
        !value["stacktrace"].is_object()) {
      continue;
    }
    const json &stack = value["stacktrace"];
    if (stack.contains("frames") && stack["frames"].is_array()) {
      for (const auto &frame : stack["frames"]) {
        if (frame.is_object()) {
          frames.push_back(frame);
        }
      }
    }
  }
}

// The first of `keys` the frame has as a string (snake_case as the SDK
// sends frames, camelCase as the event API serializes them).
std::string first_text(const json &frame,
                       std::initializer_list<const char *> keys) {
  for (const char *key : keys) {
    if (auto value = string_field(frame, key); !value.empty()) {
      return value;
    }
  }
  return "";
}

std::int64_t first_number(const json &frame,
                          std::initializer_list<const char *> keys) {
  for (const char *key : keys) {
    if (frame.contains(key)) {
      return number(frame, key);
    }
  }
  return 0;
}

bool in_app(const json &frame, const std::string &path) {
  auto it = frame.find("in_app");
  if (it == frame.end()) {
    it = frame.find("inApp");
  }
  if (it != frame.end() && it->is_boolean()) {
    return it->get<bool>();
  }
  return path.find("node_modules/") == std::string::npos;
}

} // namespace

bool is_minified_file_name(std::string_view path) {
  std::string_view name = path.substr(path.find_last_of('/') + 1);
  name = name.substr(0, name.find_first_of("?#"));
  if (name.ends_with(".min.js")) {
    return true;
  }
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) {
    return false;
  }
  std::string_view stem = name.substr(0, dot);
  size_t separator = stem.find_last_of("-.");
  if (separator == std::string_view::npos) {
    return false;
  }
  // A hash is 6+ characters of letters, digits, `_`, with a digit in it.
  std::string_view hash = stem.substr(separator + 1);
  bool digit = false;
  for (char c : hash) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) == 0 && c != '_') {
      return false;
    }
    digit = digit || std::isdigit(u) != 0;
  }
  return hash.size() >= 6 && digit;
}

EventVerdict judge_event(std::string_view event_json, std::string_view what) {
  json event = json::parse(event_json, nullptr, false);
  if (!event.is_object()) {
    throw Error(std::string(what) + " is not a JSON event");
  }
  std::vector<json> frames;
  if (event.contains("exception")) {
    collect_frames(event["exception"], frames);
  }
  if (event.contains("entries") && event["entries"].is_array()) {
    for (const auto &entry : event["entries"]) {
      if (entry.is_object() && string_field(entry, "type") == "exception" &&
          entry.contains("data")) {
        collect_frames(entry["data"], frames);
      }
    }
  }
  EventVerdict verdict;
  verdict.event_id = string_field(event, "eventID");
  if (verdict.event_id.empty()) {
    verdict.event_id = string_field(event, "event_id");
  }
  for (const auto &frame : frames) {
    std::string path = first_text(frame, {"filename", "abs_path", "absPath"});
    if (path.empty() || !in_app(frame, path)) {
      continue;
    }
    auto line = first_number(frame, {"lineno", "lineNo"});
    auto column = first_number(frame, {"colno", "colNo"});
    FrameVerdict out;
    out.location =
        path + ":" + std::to_string(line) + ":" + std::to_string(column);
    out.function = string_field(frame, "function");
    std::string map = frame.contains("data") && frame["data"].is_object()
                          ? string_field(frame["data"], "sourcemap")
                          : "";
    if (map.empty()) {
      map = first_text(frame, {"mapUrl", "map"});
    }
    bool has_map = !map.empty();
    bool has_context =
        frame.contains("context_line") ||
        (frame.contains("context") && frame["context"].is_array() &&
         !frame["context"].empty());
    bool minified_name = is_minified_file_name(path);
    bool minified_position = line == 1 && column >= k_minified_column;
    if (has_map && !minified_name) {
      out.symbolicated = true;
      out.reason = "resolved with " + map;
    } else if (minified_name || minified_position) {
      out.reason = minified_name ? "points at the minified file " + path
                                 : "line 1, column " + std::to_string(column) +
                                       " is a position in minified code";
    } else if (has_context) {
      out.symbolicated = true;
      out.reason = "original source with context";
    } else {
      out.reason = "no source context and no data.sourcemap";
    }
    verdict.symbolicated = verdict.symbolicated && out.symbolicated;
    verdict.frames.push_back(std::move(out));
  }
  return verdict;
}

} // namespace uploader::issues
