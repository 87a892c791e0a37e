#pragma once

#include <functional>
#include <optional>
#include <string>

namespace uploader::util {

// Reads one environment variable; nullopt when it is unset. Everything
// that reads the environment takes one of these, so tests can hand in
// their own and no other folder calls std::getenv.
using EnvGetter =
    std::function<std::optional<std::string>(const std::string &)>;

// The process's environment.
EnvGetter process_environment();

// `name` from `getenv` when it is set and not empty.
std::optional<std::string> nonempty_variable(const EnvGetter &getenv,
                                             const std::string &name);

} // namespace uploader::util
