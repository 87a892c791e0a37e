#pragma once

#include <stdexcept>
#include <string>

namespace uploader {

// Base of every error the uploader reports to the user. `cli::run` is the
// only place that catches these; the type decides the exit code.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Bad command line: unknown subcommand or flag, missing value.
class UsageError : public Error {
public:
  using Error::Error;
};

// Bad configuration: missing org/project, malformed slug, bad env file.
class ConfigError : public Error {
public:
  using Error::Error;
};

// The server refused the token (401) or its scopes (403), or there is none.
class AuthError : public Error {
public:
  using Error::Error;
};

} // namespace uploader
