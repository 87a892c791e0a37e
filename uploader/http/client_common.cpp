#include "uploader/http/client_common.hpp"

#include "uploader/util/error.hpp"
#include "uploader/util/redact.hpp"
#include "uploader/util/strings.hpp"

#include <algorithm>

namespace uploader::http {

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto &[key, value] : headers) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

// The same for either backend: one request is a batch of one.
Response Client::send(const Request &request) {
  return std::move(send_all({request}, 1).front());
}

namespace client_common {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_line(std::string_view text) {
  while (!text.empty() && (is_space(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n' ||
                           is_space(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// `line` with its value hidden if it is one of `extra` (--header).
std::string hide_extra_header_value(std::string_view line,
                                    const std::vector<std::string> &extra) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos) {
    return std::string(line);
  }
  std::string name = util::ascii_lower(line.substr(0, colon));
  for (const auto &header : extra) {
    if (util::ascii_lower(
            std::string_view(header).substr(0, header.find(':'))) == name) {
      return std::string(line.substr(0, colon)) + ": [REDACTED]";
    }
  }
  return std::string(line);
}

} // namespace

std::optional<std::pair<std::string, std::string>>
parse_header_line(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || line.starts_with("HTTP/")) {
    return std::nullopt;
  }
  return std::pair{util::ascii_lower(line.substr(0, colon)),
                   std::string(trim_line(line.substr(colon + 1)))};
}

std::vector<std::string> request_headers(const ClientOptions &options,
                                         const Request &request) {
  std::vector<std::string> headers;
  if (options.auth_token) {
    headers.push_back("Authorization: Bearer " + *options.auth_token);
  }
  headers.insert(headers.end(), options.extra_headers.begin(),
                 options.extra_headers.end());
  headers.insert(headers.end(), request.headers.begin(), request.headers.end());
  return headers;
}

void trace_lines(const ClientOptions &options, std::string_view prefix,
                 std::string_view text) {
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
      line.remove_suffix(1);
    }
    if (!line.empty()) {
      std::string shown =
          std::string(prefix) +
          (prefix == "> " ? hide_extra_header_value(line, options.extra_headers)
                          : std::string(line));
      options.trace(util::redact(shown));
    }
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
}

RequestTimeout request_timeout_now(const ClientOptions &options) {
  RequestTimeout timeout{options.request_timeout, false};
  if (options.deadline != std::chrono::steady_clock::time_point::max()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        options.deadline - std::chrono::steady_clock::now());
    left = std::max(left, std::chrono::milliseconds(1));
    timeout.deadline_bound =
        timeout.value.count() == 0 || left <= timeout.value;
    timeout.value = timeout.deadline_bound ? left : timeout.value;
  }
  return timeout;
}

TransportFailure timeout_failure(const ClientOptions &options,
                                 bool deadline_bound) {
  return deadline_bound || std::chrono::steady_clock::now() >= options.deadline
             ? TransportFailure::deadline
             : TransportFailure::timeout;
}

std::string cut_off_in_headers() {
  return "was cut off inside its headers; the connection dropped";
}

std::string cut_off_in_body(std::uint64_t received,
                            std::optional<std::uint64_t> announced,
                            bool reset) {
  std::string size = announced ? std::to_string(received) + " of " +
                                     std::to_string(*announced) + " bytes"
                               : std::to_string(received) +
                                     " bytes, before the end of its body";
  return "was cut off after " + size + "; " +
         (reset ? "the connection was reset" : "the connection dropped");
}

std::string stall_message(const ClientOptions &options) {
  return "no data moved for " + std::to_string(options.stall_timeout.count()) +
         " s (stall timeout)";
}

void trace_outcome(const ClientOptions &options, const Request &request,
                   const Response &response,
                   std::chrono::steady_clock::time_point started) {
  if (!options.trace) {
    return;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started)
                .count();
  std::string outcome = response.transport_error.empty()
                            ? std::to_string(response.status)
                            : "failed: " + response.transport_error;
  options.trace(util::redact(request.method + " " + request.url + " -> " +
                             outcome + " (" + std::to_string(ms) + " ms)"));
}

util::NativeFile &OpenFiles::get(const std::filesystem::path &path) {
  std::lock_guard lock(m_mutex);
  auto it = m_files.find(path);
  if (it != m_files.end()) {
    return it->second;
  }
  std::error_code error;
  auto file = util::NativeFile::open(path, util::NativeFile::Mode::read, error);
  if (!file.is_open()) {
    throw Error("cannot open '" + path.string() + "': " + error.message());
  }
  return m_files.emplace(path, std::move(file)).first->second;
}

void OpenFiles::close_all() noexcept {
  std::lock_guard lock(m_mutex);
  m_files.clear();
}

} // namespace client_common
} // namespace uploader::http
