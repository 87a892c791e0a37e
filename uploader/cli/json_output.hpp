#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace uploader::cli {

// A --json summary field: the value, or null when there is none.
inline nlohmann::json optional_json(const std::optional<std::string> &value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

} // namespace uploader::cli
