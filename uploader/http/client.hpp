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
};

struct Response {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers; // names lowercase
  std::string body;
  // Empty when an HTTP exchange completed; otherwise what went wrong on the
  // way (refused, reset, timed out, TLS), and no status.
  std::string transport_error;
  bool timed_out = false;

  std::optional<std::string> header(std::string_view lowercase_name) const;
  bool is_json() const;
};

struct ClientOptions {
  std::string user_agent;
  std::optional<std::string> auth_token; // sent as Authorization: Bearer
  std::vector<std::string> extra_headers;
  std::chrono::milliseconds connect_timeout{10'000};
  // A transfer slower than 1 byte/s for this long is a stall and aborted.
  std::chrono::seconds stall_timeout{60};
  std::chrono::milliseconds request_timeout{0}; // 0: none
  std::optional<std::string> ca_file;
  bool insecure = false;
  // Receives one line per request and response, for --verbose. Lines pass
  // through util::redact before they are written.
  std::function<void(std::string_view)> trace;
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
