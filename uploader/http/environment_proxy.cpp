#include "uploader/http/environment_proxy.hpp"

#include "uploader/util/strings.hpp"

#include <initializer_list>
#include <string_view>

namespace uploader::http {

namespace {

std::optional<std::string>
first_set(const util::EnvGetter &getenv,
          std::initializer_list<const char *> names) {
  for (const char *name : names) {
    if (auto value = util::nonempty_variable(getenv, name)) {
      return value;
    }
  }
  return std::nullopt;
}

// "a,.b, c" as WinHTTP's bypass list, each host with its subdomains: curl's
// ".example.com" and "example.com" both cover them.
std::string bypass_list(std::string_view no_proxy) {
  std::string bypass;
  for (auto entry : util::split(no_proxy, ',')) {
    std::string host(util::trim(entry));
    if (!host.empty() && host.front() == '.') {
      host.erase(0, 1);
    }
    if (!host.empty()) {
      bypass += (bypass.empty() ? "" : ";") + host + ";*." + host;
    }
  }
  return bypass;
}

} // namespace

std::optional<EnvironmentProxy> environment_proxy(const util::EnvGetter &getenv,
                                                  bool https) {
  auto url = https
                 ? first_set(getenv, {"https_proxy", "HTTPS_PROXY", "all_proxy",
                                      "ALL_PROXY"})
                 : first_set(getenv, {"http_proxy", "all_proxy", "ALL_PROXY"});
  if (!url) {
    return std::nullopt;
  }
  EnvironmentProxy proxy;
  std::string_view rest = *url;
  if (auto scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view credentials = rest.substr(0, at);
    auto colon = credentials.find(':');
    // Percent-encoded in the URL, as curl reads them.
    proxy.user = util::percent_decode(credentials.substr(0, colon));
    if (colon != std::string_view::npos) {
      proxy.password = util::percent_decode(credentials.substr(colon + 1));
    }
    rest.remove_prefix(at + 1);
  }
  proxy.server = std::string(rest);
  if (auto no_proxy = first_set(getenv, {"no_proxy", "NO_PROXY"})) {
    proxy.bypass = bypass_list(*no_proxy);
  }
  return proxy;
}

} // namespace uploader::http
