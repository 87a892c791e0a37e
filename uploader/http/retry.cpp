#include "uploader/http/retry.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <thread>

namespace uploader::http {

bool is_retryable(const Response &response) {
  if (!response.transport_error.empty()) {
    // A bad certificate stays bad, and the deadline is final.
    return response.failure != TransportFailure::tls &&
           response.failure != TransportFailure::deadline;
  }
  switch (response.status) {
  case 408:
  case 429:
  case 500:
  case 502:
  case 503:
  case 504:
  case 507:
  case 524:
    return true;
  default:
    return false;
  }
}

bool is_retryable(const Request &request, const Response &response) {
  if (request.idempotent) {
    return is_retryable(response);
  }
  return response.failure == TransportFailure::connect ||
         (response.transport_error.empty() && response.status == 429);
}

namespace {

// The 1-based byte at which `text` stops being JSON (past its end when the
// text ran out first), or nullopt when it is JSON.
std::optional<std::size_t> json_error_byte(const std::string &text) {
  try {
    nlohmann::json parsed = nlohmann::json::parse(text);
    static_cast<void>(parsed);
  } catch (const nlohmann::json::parse_error &error) {
    return error.byte;
  }
  return std::nullopt;
}

// What is wrong with a body that should be JSON, as it reads after "Sentry's
// answer to POST url", or nullopt when it is whole JSON.
std::optional<std::string> json_body_problem(const Response &response) {
  std::string status = std::to_string(response.status);
  const std::string &body = response.body;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return "was " + status + " with an empty body where JSON was expected";
  }
  auto error_byte = json_error_byte(body);
  if (!error_byte) {
    return std::nullopt;
  }
  // The parser ran out of bytes, not into a wrong one: the end is missing.
  if (*error_byte > body.size()) {
    return "was " + status + " with JSON that stops unfinished after " +
           std::to_string(body.size()) + " bytes";
  }
  return "was " + status +
         " with a body that is not JSON, as if the URL were not a Sentry "
         "server";
}

} // namespace

void mark_incomplete_answer(const Request &request, Response &response) {
  bool success = response.transport_error.empty() && response.status >= 200 &&
                 response.status < 300;
  if (!request.expects_json || !success) {
    return;
  }
  if (auto problem = json_body_problem(response)) {
    response.status = 0;
    response.failure = TransportFailure::cut_off;
    response.transport_error = *problem;
  }
}

std::optional<std::chrono::milliseconds>
parse_retry_after(std::string_view value,
                  std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  if (!value.empty() &&
      std::ranges::all_of(value, [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) {
      return std::chrono::milliseconds::max();
    }
    return std::chrono::seconds(std::stol(std::string(value)));
  }
  // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT" (read by hand:
  // strptime and timegm are not on every platform).
  static constexpr std::string_view k_months =
      "JanFebMarAprMayJunJulAugSepOctNovDec";
  char weekday[4] = {}, month_name[4] = {};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  std::string text(value);
  if (std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d GMT", weekday, &day,
                  month_name, &year, &hour, &minute, &second) != 7) {
    return std::nullopt;
  }
  std::size_t month = k_months.find(month_name);
  if (month == std::string_view::npos || month % 3 != 0 ||
      std::string_view(month_name).size() != 3 || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  std::chrono::year_month_day date{
      std::chrono::year(year),
      std::chrono::month(static_cast<unsigned>(month / 3 + 1)),
      std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) {
    return std::nullopt;
  }
  auto when = std::chrono::sys_days(date) + std::chrono::hours(hour) +
              std::chrono::minutes(minute) + std::chrono::seconds(second);
  auto delay =
      std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
  return std::max(delay, std::chrono::milliseconds(0));
}

std::chrono::milliseconds retry_delay(const Response &response, int attempt,
                                      const RetryPolicy &policy,
                                      double jitter) {
  if (auto header = response.header("retry-after")) {
    if (auto delay =
            parse_retry_after(*header, std::chrono::system_clock::now())) {
      return std::min(*delay, policy.max_retry_after);
    }
  }
  double base = static_cast<double>(policy.initial_delay.count()) *
                std::pow(policy.factor, attempt - 1);
  base = std::min(base, static_cast<double>(policy.max_delay.count()));
  return std::chrono::milliseconds(
      static_cast<long long>(base * (0.75 + 0.5 * jitter)));
}

namespace {

std::string describe(const Response &response) {
  if (response.failure == TransportFailure::cut_off) {
    return "the answer " + response.transport_error;
  }
  return response.transport_error.empty()
             ? "HTTP " + std::to_string(response.status)
             : response.transport_error;
}

std::vector<Response> send_checked(Transport &transport,
                                   const std::vector<Request> &requests,
                                   size_t concurrency) {
  std::vector<Response> responses = transport.send_all(requests, concurrency);
  for (size_t i = 0; i < responses.size(); ++i) {
    mark_incomplete_answer(requests[i], responses[i]);
  }
  return responses;
}

} // namespace

std::vector<Response> send_with_retry(Transport &transport,
                                      const std::vector<Request> &requests,
                                      size_t concurrency,
                                      const RetryPolicy &policy,
                                      const RetryObserver &observer) {
  std::vector<Response> responses =
      send_checked(transport, requests, concurrency);
  std::mt19937 random(std::random_device{}());
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  for (int attempt = 1; attempt <= policy.max_retries; ++attempt) {
    std::vector<size_t> again;
    std::chrono::milliseconds wait{0};
    for (size_t i = 0; i < responses.size(); ++i) {
      if (is_retryable(requests[i], responses[i])) {
        again.push_back(i);
        wait = std::max(
            wait, retry_delay(responses[i], attempt, policy, jitter(random)));
      }
    }
    if (again.empty() ||
        std::chrono::steady_clock::now() + wait >= policy.deadline) {
      break;
    }
    if (observer) {
      const Request &first = requests[again.front()];
      observer(first.method + " " + first.url + " failed (" +
               describe(responses[again.front()]) + "); retry " +
               std::to_string(attempt) + "/" +
               std::to_string(policy.max_retries) + " of " +
               std::to_string(again.size()) + " request(s) in " +
               std::to_string(wait.count()) + " ms");
    }
    std::this_thread::sleep_for(wait);
    std::vector<Request> subset;
    for (size_t i : again) {
      subset.push_back(requests[i]);
    }
    std::vector<Response> retried =
        send_checked(transport, subset, concurrency);
    for (size_t k = 0; k < again.size(); ++k) {
      retried[k].attempts = attempt + 1;
      responses[again[k]] = std::move(retried[k]);
    }
  }
  return responses;
}

} // namespace uploader::http
