#include "uploader/http/client.hpp"
#include "uploader/http/client_common.hpp"
#include "uploader/http/curl_handle.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/native_file.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace uploader::http {

namespace {

// Streams one FileRange into a multipart part with positioned reads, so a
// chunk is never copied into memory as a whole.
struct FilePartSource {
  util::NativeFile *file;
  std::uint64_t offset;
  std::uint64_t length;
  std::uint64_t position = 0;

  static size_t read(char *buffer, size_t size, size_t count, void *self) {
    auto *source = static_cast<FilePartSource *>(self);
    std::uint64_t left = source->length - source->position;
    size_t want =
        static_cast<size_t>(std::min<std::uint64_t>(size * count, left));
    if (want == 0) {
      return 0;
    }
    std::error_code error;
    size_t got = source->file->read_at(
        buffer, want, source->offset + source->position, error);
    if (error || got == 0) {
      return CURL_READFUNC_ABORT;
    }
    source->position += got;
    return got;
  }

  static int seek(void *self, curl_off_t offset, int origin) {
    auto *source = static_cast<FilePartSource *>(self);
    if (origin != SEEK_SET || offset < 0 ||
        static_cast<std::uint64_t>(offset) > source->length) {
      return CURL_SEEKFUNC_CANTSEEK;
    }
    source->position = static_cast<std::uint64_t>(offset);
    return CURL_SEEKFUNC_OK;
  }
};

struct Transfer {
  size_t index = 0;
  const ClientOptions *options = nullptr;
  CurlEasy easy;
  CurlSlist headers;
  CurlMime mime;
  std::vector<std::unique_ptr<FilePartSource>> sources;
  Response response;
  char error[CURL_ERROR_SIZE] = {};
  std::chrono::steady_clock::time_point started;
  // Stall detection: when bytes last moved, and how many had.
  std::chrono::steady_clock::time_point progressed;
  curl_off_t moved = 0;
  bool stalled = false;
  // The request timeout is what was left before --deadline.
  bool deadline_bound = false;
  // The blank line that ends the answer's header block arrived.
  bool headers_complete = false;
};

size_t on_body(char *data, size_t size, size_t count, void *self) {
  static_cast<Transfer *>(self)->response.body.append(data, size * count);
  return size * count;
}

size_t on_header(char *data, size_t size, size_t count, void *self) {
  auto *transfer = static_cast<Transfer *>(self);
  auto &response = transfer->response;
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response.headers.clear(); // a new response (after 100 Continue)
    transfer->headers_complete = false;
    return size * count;
  }
  if (line == "\r\n" || line == "\n") {
    transfer->headers_complete = true;
    return size * count;
  }
  if (auto header = client_common::parse_header_line(line)) {
    response.headers.push_back(std::move(*header));
  }
  return size * count;
}

// Aborts a transfer on which no byte moved, either way, for the stall
// timeout. curl's LOW_SPEED_TIME averages the speed over several seconds,
// so it notices a stall after a burst late; this does not.
int on_progress(void *self, curl_off_t /*dltotal*/, curl_off_t dlnow,
                curl_off_t /*ultotal*/, curl_off_t ulnow) {
  auto *transfer = static_cast<Transfer *>(self);
  auto now = std::chrono::steady_clock::now();
  if (dlnow + ulnow != transfer->moved) {
    transfer->moved = dlnow + ulnow;
    transfer->progressed = now;
    return 0;
  }
  if (now - transfer->progressed >= transfer->options->stall_timeout) {
    transfer->stalled = true;
    return 1;
  }
  return 0;
}

TransportFailure classify(CURLcode code) {
  switch (code) {
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
    return TransportFailure::connect;
  case CURLE_OPERATION_TIMEDOUT:
    return TransportFailure::timeout;
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
  case CURLE_SSL_INVALIDCERTSTATUS:
  case CURLE_SSL_CRL_BADFILE:
  case CURLE_USE_SSL_FAILED:
    return TransportFailure::tls;
  default:
    return TransportFailure::broken;
  }
}

// How the answer was cut off, as it reads after "Sentry's answer to POST
// url", or nullopt when it came whole. libcurl takes a header block that
// ends at the close for a whole answer (CURLE_OK, status 200, no body) and
// names a short body only in its error text; either way the caller did not
// get Sentry's word, which is a transport failure, not an answer.
std::optional<std::string> cut_off_answer(const Transfer &transfer,
                                          CURLcode code) {
  if (code == CURLE_OK) {
    if (transfer.headers_complete) {
      return std::nullopt;
    }
    return client_common::cut_off_in_headers();
  }
  // A reset before any answer is a dropped connection, not a cut-off one.
  bool reset_mid_body = code == CURLE_RECV_ERROR && transfer.headers_complete;
  if (code != CURLE_PARTIAL_FILE && !reset_mid_body) {
    return std::nullopt;
  }
  curl_off_t received = 0;
  curl_off_t announced = -1;
  curl_easy_getinfo(transfer.easy.get(), CURLINFO_SIZE_DOWNLOAD_T, &received);
  curl_easy_getinfo(transfer.easy.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
                    &announced);
  return client_common::cut_off_in_body(
      static_cast<std::uint64_t>(received),
      announced >= 0 ? std::optional(static_cast<std::uint64_t>(announced))
                     : std::nullopt,
      reset_mid_body);
}

// curl -v for --verbose: headers out ("> "), headers in ("< ") and curl's
// own notes ("* ": proxy, TLS, connection reuse), each line redacted.
int on_debug(CURL * /*easy*/, curl_infotype type, char *data, size_t size,
             void *self) {
  const char *prefix = type == CURLINFO_HEADER_OUT  ? "> "
                       : type == CURLINFO_HEADER_IN ? "< "
                       : type == CURLINFO_TEXT      ? "* "
                                                    : nullptr;
  if (prefix == nullptr) {
    return 0; // bodies are not traced: chunks are binary and large
  }
  client_common::trace_lines(*static_cast<Transfer *>(self)->options, prefix,
                             std::string_view(data, size));
  return 0;
}

} // namespace

struct Client::Impl {
  ClientOptions options;
  CurlMulti multi{curl_multi_init()};
  // Files whose ranges are streamed in the current call; closed after it.
  client_common::OpenFiles open_files;

  std::unique_ptr<Transfer> prepare(const Request &request, size_t index) {
    auto transfer = std::make_unique<Transfer>();
    transfer->index = index;
    transfer->options = &options;
    transfer->easy.reset(curl_easy_init());
    CURL *easy = transfer->easy.get();
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    if (options.stall_timeout.count() > 0) {
      curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
      curl_easy_setopt(easy, CURLOPT_XFERINFODATA, transfer.get());
    }
    // libcurl silently re-sends a request once when a reused connection
    // turns out closed; a request that must not run twice gets a fresh one.
    if (!request.idempotent) {
      curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    }
    auto timeout = client_common::request_timeout_now(options);
    transfer->deadline_bound = timeout.deadline_bound;
    if (timeout.value.count() > 0) {
      curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                       static_cast<long>(timeout.value.count()));
    }
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    if (options.ca_file) {
      curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file->c_str());
    }
    if (options.insecure) {
      curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer.get());
    if (options.trace && options.trace_headers) {
      curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, on_debug);
      curl_easy_setopt(easy, CURLOPT_DEBUGDATA, transfer.get());
      curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);
    }

    curl_slist *headers = nullptr;
    // An empty Expect: turns off 100-continue, as sentry-cli does.
    headers = curl_slist_append(headers, "Expect:");
    for (const auto &header :
         client_common::request_headers(options, request)) {
      headers = curl_slist_append(headers, header.c_str());
    }
    transfer->headers.reset(headers);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);

    if (!request.parts.empty()) {
      transfer->mime.reset(curl_mime_init(easy));
      for (const auto &part : request.parts) {
        curl_mimepart *mime_part = curl_mime_addpart(transfer->mime.get());
        curl_mime_name(mime_part, part.name.c_str());
        // A plain form field (no filename, no type) is a value, not a file.
        if (!part.filename.empty()) {
          curl_mime_filename(mime_part, part.filename.c_str());
        }
        if (!part.content_type.empty()) {
          curl_mime_type(mime_part, part.content_type.c_str());
        }
        if (part.file) {
          auto source = std::make_unique<FilePartSource>(
              FilePartSource{&open_files.get(part.file->path),
                             part.file->offset, part.file->length});
          curl_mime_data_cb(mime_part,
                            static_cast<curl_off_t>(part.file->length),
                            FilePartSource::read, FilePartSource::seek, nullptr,
                            source.get());
          transfer->sources.push_back(std::move(source));
        } else {
          curl_mime_data(mime_part, part.data.data(), part.data.size());
        }
      }
      curl_easy_setopt(easy, CURLOPT_MIMEPOST, transfer->mime.get());
    } else if (request.method == "GET") {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    if (request.method != "GET" && request.method != "POST") {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    transfer->started = std::chrono::steady_clock::now();
    transfer->progressed = transfer->started;
    return transfer;
  }

  void finish(Transfer &transfer, CURLcode code, const Request &request) {
    Response &response = transfer.response;
    if (auto cut = cut_off_answer(transfer, code)) {
      response.status = 0;
      response.failure = TransportFailure::cut_off;
      response.transport_error = *cut;
    } else if (code == CURLE_OK) {
      curl_easy_getinfo(transfer.easy.get(), CURLINFO_RESPONSE_CODE,
                        &response.status);
    } else {
      response.status = 0;
      response.failure = classify(code);
      response.transport_error =
          transfer.error[0] != '\0' ? transfer.error : curl_easy_strerror(code);
      if (code == CURLE_ABORTED_BY_CALLBACK && transfer.stalled) {
        response.failure = TransportFailure::timeout;
        response.transport_error = client_common::stall_message(options);
      }
      if (response.failure == TransportFailure::timeout) {
        response.failure = client_common::timeout_failure(
            options,
            code == CURLE_OPERATION_TIMEDOUT && transfer.deadline_bound);
      }
    }
    client_common::trace_outcome(options, request, response, transfer.started);
  }
};

Client::Client(ClientOptions options) : m_impl(std::make_unique<Impl>()) {
  m_impl->options = std::move(options);
  if (!m_impl->multi) {
    throw Error("cannot create a libcurl multi handle");
  }
}

Client::~Client() = default;

std::vector<Response> Client::send_all(const std::vector<Request> &requests,
                                       size_t concurrency) {
  std::vector<Response> responses(requests.size());
  std::map<CURL *, std::unique_ptr<Transfer>> active;
  size_t next = 0;
  concurrency = std::max<size_t>(concurrency, 1);
  CURLM *multi = m_impl->multi.get();
  try {
    while (next < requests.size() || !active.empty()) {
      while (active.size() < concurrency && next < requests.size()) {
        auto transfer = m_impl->prepare(requests[next], next);
        CURL *easy = transfer->easy.get();
        curl_multi_add_handle(multi, easy);
        active.emplace(easy, std::move(transfer));
        ++next;
      }
      int running = 0;
      curl_multi_perform(multi, &running);
      int queued = 0;
      while (CURLMsg *message = curl_multi_info_read(multi, &queued)) {
        if (message->msg != CURLMSG_DONE) {
          continue;
        }
        auto it = active.find(message->easy_handle);
        Transfer &transfer = *it->second;
        m_impl->finish(transfer, message->data.result,
                       requests[transfer.index]);
        responses[transfer.index] = std::move(transfer.response);
        curl_multi_remove_handle(multi, message->easy_handle);
        active.erase(it);
      }
      if (!active.empty()) {
        // Short enough for the stall check to run several times a second.
        curl_multi_poll(multi, nullptr, 0, 200, nullptr);
      }
    }
  } catch (...) {
    for (auto &[easy, transfer] : active) {
      curl_multi_remove_handle(multi, easy);
    }
    m_impl->open_files.close_all();
    throw;
  }
  m_impl->open_files.close_all();
  return responses;
}

} // namespace uploader::http
