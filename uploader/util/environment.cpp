#include "uploader/util/environment.hpp"

#include <cstdlib>

namespace uploader::util {

EnvGetter process_environment() {
  return [](const std::string &name) -> std::optional<std::string> {
    const char *value = std::getenv(name.c_str());
    return value == nullptr ? std::nullopt : std::optional<std::string>(value);
  };
}

std::optional<std::string> nonempty_variable(const EnvGetter &getenv,
                                             const std::string &name) {
  auto value = getenv(name);
  return value && !value->empty() ? value : std::nullopt;
}

} // namespace uploader::util
