#pragma once

#include "uploader/http/transport.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uploader::http {

struct ClientOptions {
  std::string user_agent;
  std::optional<std::string> auth_token; // sent as Authorization: Bearer
  std::vector<std::string> extra_headers;
  std::chrono::milliseconds connect_timeout{10'000};
  // A transfer on which no byte moves for this long is a stall and aborted
  // (0: no check).
  std::chrono::seconds stall_timeout{60};
  std::chrono::milliseconds request_timeout{0}; // 0: none
  // No request runs past this point (--deadline); each one's timeout is
  // cut to the time left.
  std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::time_point::max();
  std::optional<std::string> ca_file;
  bool insecure = false;
  // Receives one line per request and response, for --verbose. Lines pass
  // through util::redact before they are written.
  std::function<void(std::string_view)> trace;
  // With `trace`: also every request and response header and curl's
  // connection notes (proxy, TLS), like `curl -v`, redacted.
  bool trace_headers = false;
};

// The only user of libcurl. One instance keeps its connections alive across
// calls; `send_all` runs requests concurrently on one thread with the multi
// interface.
class Client : public Transport {
public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client &) = delete;
  Client &operator=(const Client &) = delete;

  Response send(const Request &request) override;
  std::vector<Response> send_all(const std::vector<Request> &requests,
                                 size_t concurrency) override;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace uploader::http
