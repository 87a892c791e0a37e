#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace uploader::issues {

// The string member `key` of a Sentry answer's object; "" when it is
// missing or not a string (Sentry leaves out or nulls what it lacks).
inline std::string string_field(const nlohmann::json &object, const char *key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

} // namespace uploader::issues
