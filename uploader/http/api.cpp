#include "uploader/http/api.hpp"

#include "uploader/util/error.hpp"

namespace uploader::http {

Api::Api(Transport &transport, std::string base_url, RetryPolicy policy,
         RetryObserver observer)
    : m_transport(transport), m_base_url(std::move(base_url)), m_policy(policy),
      m_observer(std::move(observer)) {}

std::string Api::url(std::string_view path) const {
  while (path.starts_with('/')) {
    path.remove_prefix(1);
  }
  if (path.starts_with("api/0/")) {
    path.remove_prefix(6);
  }
  return m_base_url + "api/0/" + std::string(path);
}

Response Api::send(const Request &request) {
  return std::move(
      send_with_retry(m_transport, {request}, 1, m_policy, m_observer).front());
}

nlohmann::json Api::call(std::string_view method, std::string_view path,
                         const nlohmann::json *body, std::string_view what) {
  Request request;
  request.method = std::string(method);
  request.url = url(path);
  request.expects_json = true;
  if (body != nullptr) {
    request.body = body->dump();
    request.headers.emplace_back("Content-Type: application/json");
  }
  Response response = send(request);
  if (!response.transport_error.empty() || response.status < 200 ||
      response.status >= 300) {
    fail(request, response, what);
  }
  // send() turned an empty or broken body into a transport failure.
  return nlohmann::json::parse(response.body);
}

std::string error_detail(const Response &response) {
  auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (json.is_object()) {
    for (const char *key : {"detail", "error"}) {
      if (auto it = json.find(key); it != json.end() && it->is_string()) {
        return it->get<std::string>();
      }
    }
    return json.dump();
  }
  if (!response.body.empty() && response.body.size() < 200 &&
      response.body.find('<') == std::string::npos) {
    return response.body;
  }
  return "";
}

namespace {

std::string attempts_text(const Response &response) {
  int retries = response.attempts - 1;
  return retries <= 0   ? std::string("not retried")
         : retries == 1 ? std::string("after 1 retry")
                        : "after " + std::to_string(retries) + " retries";
}

} // namespace

void Api::fail(const Request &request, const Response &response,
               std::string_view what) const {
  std::string target = request.method + " " + request.url;
  std::string tries = attempts_text(response);
  if (!response.transport_error.empty()) {
    std::string why = " (" + response.transport_error + ", " + tries + ")";
    switch (response.failure) {
    case TransportFailure::connect:
      throw Error("cannot reach Sentry at " + m_base_url + why +
                  "; check the URL, the network and any proxy (HTTPS_PROXY, "
                  "NO_PROXY), or try again later");
    case TransportFailure::timeout:
      throw Error("Sentry at " + m_base_url + " did not answer " + target +
                  " in time" + why +
                  "; try again later, or raise --connect-timeout or "
                  "--stall-timeout");
    case TransportFailure::deadline:
      throw Error("gave up on " + target + ": the total deadline passed" + why +
                  "; raise --deadline (SENTRY_SOURCEMAPS_DEADLINE) or try "
                  "again later");
    case TransportFailure::tls:
      throw Error("cannot verify the TLS certificate of " + m_base_url + " (" +
                  response.transport_error +
                  "); if the server uses a private CA, pass --ca-file FILE "
                  "(or set SENTRY_CA_FILE) with that CA's certificate "
                  "(--insecure turns verification off, which exposes the "
                  "token)");
    case TransportFailure::cut_off:
      throw Error("Sentry's answer to " + target + " " +
                  response.transport_error + " (" + tries +
                  "); try again later, or check the URL and any proxy or "
                  "load balancer in between");
    case TransportFailure::none:
    case TransportFailure::broken:
      break;
    }
    throw Error("the connection to Sentry at " + m_base_url + " broke on " +
                target + why +
                "; try again later, or check a proxy or load balancer in "
                "between");
  }
  std::string detail = error_detail(response);
  std::string said = detail.empty() ? "" : ": " + detail;
  std::string status = std::to_string(response.status);
  switch (response.status) {
  case 401:
    throw AuthError("Sentry at " + m_base_url +
                    " rejected the auth token (401" + said +
                    "); create a token with the scopes project:releases and "
                    "org:read and set SENTRY_AUTH_TOKEN");
  case 403:
    throw AuthError("the auth token may not access " + std::string(what) +
                    " (403" + said +
                    "); it needs the scopes project:releases and org:read "
                    "(org tokens have them)");
  case 404:
    throw ConfigError(std::string(what) + " not found at " + m_base_url +
                      " (404 on " + target +
                      "); check the slug and that the token can see it");
  case 413:
    throw Error("Sentry (or a proxy in front of it) refused the request as "
                "too large (413 on " +
                target +
                "); lower --max-request-size or raise the proxy's body "
                "limit (nginx client_max_body_size)");
  case 429:
    throw Error("Sentry kept rate-limiting the upload (429 on " + target +
                ", " + tries + "); try again later");
  default:
    break;
  }
  if (response.status >= 500) {
    throw Error("Sentry failed with " + status + " on " + target + said + " (" +
                tries + "); try again later or check the server's logs");
  }
  if (response.status >= 400 && response.status != 408) {
    throw Error("Sentry refused " + target + " with " + status + said +
                " (not retried: the server refused this request itself; "
                "check the options and the server's version)");
  }
  throw Error("Sentry answered " + target + " with an unexpected " + status +
              said + " (" + tries + ")");
}

} // namespace uploader::http
