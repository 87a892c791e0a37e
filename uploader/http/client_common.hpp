#pragma once

#include "uploader/http/client.hpp"
#include "uploader/util/native_file.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// What the HTTP backends (client_curl.cpp, client_winhttp.cpp) share, so
// that both time out, word their failures and trace the same way.
namespace uploader::http::client_common {

// One "Name: value" line of an answer's header block as (lowercase name,
// trimmed value); nullopt for a line that is no header.
std::optional<std::pair<std::string, std::string>>
parse_header_line(std::string_view line);

// Every header a request carries besides the transport's own: the bearer
// token, --header values and the request's, as "Name: value".
std::vector<std::string> request_headers(const ClientOptions &options,
                                         const Request &request);

// --verbose with headers: each line of `text` with `prefix` ("> " out, "< "
// in, "* " notes), redacted; values of --header lines hidden on the way
// out (they may be a proxy's credentials).
void trace_lines(const ClientOptions &options, std::string_view prefix,
                 std::string_view text);

// The request timeout, cut to what is left before --deadline (at least
// 1 ms); 0 for none.
struct RequestTimeout {
  std::chrono::milliseconds value{0};
  bool deadline_bound = false; // the deadline set it
};
RequestTimeout request_timeout_now(const ClientOptions &options);

// A timeout is the deadline's when the deadline set the timer or has
// passed (timers may fire a few ms before our clock reaches it).
TransportFailure timeout_failure(const ClientOptions &options,
                                 bool deadline_bound);

// The words for answers cut off on the way, read on from "Sentry's answer
// to POST url ...".
std::string cut_off_in_headers();
std::string cut_off_in_body(std::uint64_t received,
                            std::optional<std::uint64_t> announced, bool reset);
std::string stall_message(const ClientOptions &options);

// The --verbose line for a finished request: "GET url -> 200 (12 ms)".
void trace_outcome(const ClientOptions &options, const Request &request,
                   const Response &response,
                   std::chrono::steady_clock::time_point started);

// The files whose ranges one send_all streams, each opened once; safe to
// use from several threads (NativeFile::read_at does not move a position).
class OpenFiles {
public:
  util::NativeFile &get(const std::filesystem::path &path);
  void close_all() noexcept;

private:
  std::mutex m_mutex;
  std::map<std::filesystem::path, util::NativeFile> m_files;
};

} // namespace uploader::http::client_common
