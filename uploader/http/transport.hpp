#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// What goes over the wire, apart from how: the pipeline and the API layer
// talk to a Transport, so unit tests can stand in for the network.
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
  // The caller reads the 2xx answer as JSON: one whose body is empty or not
  // whole JSON is an answer cut off on the way (see mark_incomplete_answer).
  bool expects_json = false;
};

// Why a request got no HTTP answer.
enum class TransportFailure {
  none,
  connect,  // refused, unreachable, DNS: the request was never sent
  timeout,  // connect or stall timeout
  deadline, // the total deadline passed (not retried)
  tls,      // certificate or handshake failure (not retried)
  broken,   // reset, dropped, empty reply: it may or may not have arrived
  cut_off,  // the answer came incomplete (headers or body cut off, or no
            // JSON where JSON was expected): the request may have acted
};

struct Response {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers; // names lowercase
  std::string body;
  // Empty when an HTTP exchange completed; otherwise what went wrong on the
  // way (refused, reset, timed out, TLS, cut off), and no status. For
  // `cut_off` it reads on from "Sentry's answer to POST url ...", e.g.
  // "was cut off after 37 of 120 bytes; the connection dropped".
  std::string transport_error;
  TransportFailure failure = TransportFailure::none;
  // How many times the request was sent (set by send_with_retry).
  int attempts = 1;

  std::optional<std::string> header(std::string_view lowercase_name) const;
};

// Sends requests and returns their responses; a transport failure is a
// Response with `failure` set, never an exception.
class Transport {
public:
  virtual ~Transport() = default;
  virtual Response send(const Request &request) = 0;
  // Sends every request with at most `concurrency` in flight and returns the
  // responses in the order of `requests`.
  virtual std::vector<Response> send_all(const std::vector<Request> &requests,
                                         size_t concurrency) = 0;
};

} // namespace uploader::http
