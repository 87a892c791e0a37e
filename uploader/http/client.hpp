#pragma once

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

// A byte range of a file, streamed into a request body instead of being
// held in memory (chunks of a bundle on disk).
struct FileRange {
  std::filesystem::path path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// A form part; with an empty filename and content_type, a plain field.
struct MultipartPart {
  std::string name;
  std::string filename;
  std::string content_type = "application/octet-stream";
  std::string data; // used when `file` is empty
  std::optional<FileRange> file;
};

struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers; // "Name: value"
  std::string body;
  std::vector<MultipartPart> parts; // non-empty: multipart/form-data
  // False for requests that must not run twice (creating a deploy): they
  // are retried only when the server surely did not act on them.
  bool idempotent = true;
};

// Why a request got no HTTP answer.
enum class TransportFailure {
  none,
  connect,  // refused, unreachable, DNS: the request was never sent
  timeout,  // connect or stall timeout
  deadline, // the total deadline passed (not retried)
  tls,      // certificate or handshake failure (not retried)
  broken,   // reset, dropped, empty reply: it may or may not have arrived
};

struct Response {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers; // names lowercase
  std::string body;
  // Empty when an HTTP exchange completed; otherwise what went wrong on the
  // way (refused, reset, timed out, TLS), and no status.
  std::string transport_error;
  TransportFailure failure = TransportFailure::none;
  // How many times the request was sent (set by send_with_retry).
  int attempts = 1;

  std::optional<std::string> header(std::string_view lowercase_name) const;
  bool is_json() const;
};

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
class Client {
public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client &) = delete;
  Client &operator=(const Client &) = delete;

  Response send(const Request &request);
  // Sends every request with at most `concurrency` in flight and returns the
  // responses in the order of `requests`.
  std::vector<Response> send_all(const std::vector<Request> &requests,
                                 size_t concurrency);

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Initialises libcurl once per process; call from main before threads start.
void global_init();

} // namespace uploader::http
