#pragma once

#include "uploader/http/endpoints.hpp"
#include "uploader/http/retry.hpp"
#include "uploader/http/transport.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace uploader::http {

// Sentry's web API at one base URL: builds `{base}api/0/{path}` URLs,
// retries, decodes JSON and turns failures into errors that say what to do.
class Api {
public:
  Api(Transport &transport, std::string base_url, RetryPolicy policy,
      RetryObserver observer);

  // `path` is relative to /api/0/ and ends with '/'.
  std::string url(std::string_view path) const;
  const std::string &base_url() const { return m_base_url; }
  Transport &transport() { return m_transport; }
  const RetryPolicy &policy() const { return m_policy; }
  const RetryObserver &observer() const { return m_observer; }

  // Sends with retries; returns the final response whatever its status.
  Response send(const Request &request);

  // Sends a JSON request (body omitted for GET) and returns the decoded
  // reply. `what` names the resource for messages ("organization 'acme'").
  // Accepted statuses are 200-299 with a JSON body; anything else (an empty
  // or cut-off body too, after the retries) throws via fail().
  nlohmann::json call(std::string_view method, std::string_view path,
                      const nlohmann::json *body, std::string_view what);

  // Throws the error that explains `response` to a user: AuthError for
  // 401/403 (naming the scopes needed), ConfigError for 404 on `what`,
  // Error otherwise, always with the server's detail when it sent one.
  [[noreturn]] void fail(const Request &request, const Response &response,
                         std::string_view what) const;

private:
  Transport &m_transport;
  std::string m_base_url;
  RetryPolicy m_policy;
  RetryObserver m_observer;
};

// The server's explanation in an error body: `detail`, then `error`, else
// the body itself when short (never HTML pages).
std::string error_detail(const Response &response);

} // namespace uploader::http
