#pragma once

#include "uploader/http/transport.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace uploader::http {

// How failed requests are repeated. sentry-cli retries only 502/503/504/
// 507/524 and sets no deadline; we also retry 408, 429 (honouring
// Retry-After), 500, dropped connections, cut-off answers and timeouts,
// within a total deadline.
struct RetryPolicy {
  int max_retries = 5;
  std::chrono::milliseconds initial_delay{1000};
  double factor = 2.0;
  std::chrono::milliseconds max_delay{15'000};
  std::chrono::milliseconds max_retry_after{60'000};
  std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::time_point::max();
};

// Whether `response` is worth repeating: a transport failure other than
// TLS or the deadline (a dropped connection, an answer cut off), or one of
// 408, 429, 500, 502, 503, 504, 507, 524.
bool is_retryable(const Response &response);

// Same, for `request`: one that is not idempotent is repeated only when
// the server surely did not act on it (no connection, or 429).
bool is_retryable(const Request &request, const Response &response);

// Turns a 2xx answer to a request that `expects_json` whose body is empty,
// cut-off JSON or no JSON at all into the transport failure it is (`cut_off`,
// no status), so it is retried and reported like a dropped connection.
// send_with_retry applies it to every answer; the Client itself marks
// answers whose headers or body stop before their announced end.
void mark_incomplete_answer(const Request &request, Response &response);

// Parses a Retry-After value: delay seconds, or an HTTP date relative to
// `now`. Returns nullopt for anything else.
std::optional<std::chrono::milliseconds>
parse_retry_after(std::string_view value,
                  std::chrono::system_clock::time_point now);

// The wait before retry number `attempt` (1-based): Retry-After when the
// server sent one (capped), else exponential backoff with `jitter` in [0,1)
// spreading it by up to 25%.
std::chrono::milliseconds retry_delay(const Response &response, int attempt,
                                      const RetryPolicy &policy, double jitter);

// Called before each retry with a one-line reason, for the log.
using RetryObserver = std::function<void(std::string_view)>;

// Sends each request, repeating those whose response is retryable (on their
// own, not the whole batch) until they succeed, the attempts run out or the
// deadline passes. Returns the last response of each request, in order,
// with `attempts` set, each passed through mark_incomplete_answer.
std::vector<Response> send_with_retry(Transport &transport,
                                      const std::vector<Request> &requests,
                                      size_t concurrency,
                                      const RetryPolicy &policy,
                                      const RetryObserver &observer);

} // namespace uploader::http
