#pragma once

#include "uploader/util/environment.hpp"

#include <optional>
#include <string>

namespace uploader::http {

// A proxy named by the environment, for a backend that does not read the
// environment itself (libcurl does; WinHTTP does not).
struct EnvironmentProxy {
  std::string server; // "host:port"
  std::string user;
  std::string password;
  std::string bypass; // WinHTTP's list: "a;*.a;b;*.b"
};

// The proxy as curl chooses it: https_proxy (or HTTPS_PROXY) for https
// URLs, http_proxy for http ones (never HTTP_PROXY: a CGI server sets it
// from a request header), else all_proxy / ALL_PROXY; no_proxy (or
// NO_PROXY) lists hosts reached directly, each with its subdomains.
std::optional<EnvironmentProxy> environment_proxy(const util::EnvGetter &getenv,
                                                  bool https);

} // namespace uploader::http
