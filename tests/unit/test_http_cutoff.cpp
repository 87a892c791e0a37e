// A cut-off answer is a transport failure: the Client marks answers whose
// headers or body stop early, send_with_retry marks 2xx answers without the
// JSON the caller needs, and both are retried and reported like a dropped
// connection.
#include "uploader/http/api.hpp"
#include "uploader/http/assemble.hpp"
#include "uploader/http/client.hpp"
#include "uploader/http/retry.hpp"
#include "uploader/upload/chunks.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#include "test_helpers.hpp"

using namespace uploader::http;

namespace {

// The few socket calls that differ between Winsock and POSIX.
#if defined(_WIN32)
using Socket = SOCKET;
constexpr Socket k_no_socket = INVALID_SOCKET;
constexpr int k_send_flags = 0; // Windows raises no SIGPIPE
constexpr int k_shut_both = SD_BOTH;
void close_socket(Socket socket) { ::closesocket(socket); }
long long send_some(Socket socket, const char *data, size_t size) {
  return ::send(socket, data, static_cast<int>(std::min<size_t>(size, 1 << 20)),
                k_send_flags);
}
long long receive_some(Socket socket, char *buffer, size_t size) {
  return ::recv(socket, buffer, static_cast<int>(size), 0);
}
// Winsock needs starting (counted: each start has its cleanup).
struct SocketLibrary {
  SocketLibrary() {
    WSADATA data;
    ::WSAStartup(MAKEWORD(2, 2), &data);
  }
  ~SocketLibrary() { ::WSACleanup(); }
};
#else
using Socket = int;
constexpr Socket k_no_socket = -1;
constexpr int k_send_flags = MSG_NOSIGNAL;
constexpr int k_shut_both = SHUT_RDWR;
void close_socket(Socket socket) { ::close(socket); }
long long send_some(Socket socket, const char *data, size_t size) {
  return ::send(socket, data, size, k_send_flags);
}
long long receive_some(Socket socket, char *buffer, size_t size) {
  return ::recv(socket, buffer, size, 0);
}
struct SocketLibrary {};
#endif

// A one-connection HTTP server that answers with exactly the bytes given,
// then closes: what a proxy that drops the connection mid-answer sends.
class RawServer {
public:
  explicit RawServer(std::string answer) : m_answer(std::move(answer)) {
    m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (::bind(m_listener, reinterpret_cast<sockaddr *>(&address), size) != 0 ||
        ::listen(m_listener, 1) != 0 ||
        ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&address),
                      &size) != 0) {
      std::perror("RawServer");
    }
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { serve(); });
  }
  ~RawServer() {
    m_thread.join();
    close_socket(m_listener);
  }
  RawServer(const RawServer &) = delete;
  RawServer &operator=(const RawServer &) = delete;

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(m_port) + "/api/0/x/";
  }

private:
  void serve() {
    Socket connection = ::accept(m_listener, nullptr, nullptr);
    if (connection == k_no_socket) {
      return;
    }
    read_request(connection);
    for (size_t sent = 0; sent < m_answer.size();) {
      long long wrote =
          send_some(connection, m_answer.data() + sent, m_answer.size() - sent);
      if (wrote <= 0) {
        break;
      }
      sent += static_cast<size_t>(wrote);
    }
    ::shutdown(connection, k_shut_both);
    close_socket(connection);
  }

  // Reads the head and a Content-Length body, so the close is not taken
  // for a refusal of an unread request.
  static void read_request(Socket connection) {
    std::string request;
    char buffer[4096];
    size_t head_end = std::string::npos;
    size_t length = 0;
    while (head_end == std::string::npos ||
           request.size() < head_end + 4 + length) {
      long long got = receive_some(connection, buffer, sizeof buffer);
      if (got <= 0) {
        return;
      }
      request.append(buffer, static_cast<size_t>(got));
      if (head_end == std::string::npos) {
        head_end = request.find("\r\n\r\n");
        auto field = request.find("Content-Length: ");
        if (head_end != std::string::npos && field != std::string::npos &&
            field < head_end) {
          length = std::stoul(request.substr(field + 16));
        }
      }
    }
  }

  SocketLibrary m_library; // first: started before the listener exists
  std::string m_answer;
  Socket m_listener = k_no_socket;
  std::uint16_t m_port = 0;
  std::thread m_thread;
};

Response send_once(const std::string &answer, const std::string &body = "") {
  RawServer server(answer);
  Client client(ClientOptions{});
  Request request;
  request.method = body.empty() ? "GET" : "POST";
  request.url = server.url();
  request.body = body;
  return client.send(request);
}

const std::string kStatus = "HTTP/1.1 200 OK\r\n";
const std::string kJson = "Content-Type: application/json\r\n";

} // namespace

TEST(HttpCutoff, WholeAnswerIsNoFailure) {
  Response response =
      send_once(kStatus + kJson + "Content-Length: 2\r\n\r\n{}", "{}");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.failure, TransportFailure::none);
  EXPECT_EQ(response.transport_error, "");
  EXPECT_EQ(response.body, "{}");
}

TEST(HttpCutoff, HeadersCutOffMidLineAreACutOffAnswer) {
#if defined(_WIN32)
  GTEST_SKIP() << "WinHTTP hides the framing: Wine's takes the close for the "
                  "end of the headers and of a chunked body";
#endif
  // libcurl itself returns CURLE_OK and status 200 for this.
  Response response = send_once(kStatus + kJson + "Content-Le", "{}");
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.failure, TransportFailure::cut_off);
  EXPECT_EQ(response.transport_error,
            "was cut off inside its headers; the connection dropped");
}

TEST(HttpCutoff, HeaderBlockWithoutItsBlankLineIsACutOffAnswer) {
#if defined(_WIN32)
  GTEST_SKIP() << "WinHTTP hides the framing: Wine's takes the close for the "
                  "end of the headers and of a chunked body";
#endif
  Response response = send_once(kStatus + kJson);
  EXPECT_EQ(response.failure, TransportFailure::cut_off);
  EXPECT_EQ(response.status, 0);
}

TEST(HttpCutoff, ShortBodyNamesTheBytesReceivedAndAnnounced) {
  std::string head = kStatus + kJson + "Content-Length: 120\r\n\r\n";
  Response response = send_once(head + std::string(37, '{'), "{}");
  EXPECT_EQ(response.failure, TransportFailure::cut_off);
  EXPECT_EQ(response.transport_error,
            "was cut off after 37 of 120 bytes; the connection dropped");
}

TEST(HttpCutoff, ChunkedBodyWithoutItsLastChunkIsACutOffAnswer) {
#if defined(_WIN32)
  GTEST_SKIP() << "WinHTTP hides the framing: Wine's takes the close for the "
                  "end of the headers and of a chunked body";
#endif
  std::string head = kStatus + "Transfer-Encoding: chunked\r\n\r\n";
  Response response = send_once(head + "5\r\n{\"sta\r\n");
  EXPECT_EQ(response.failure, TransportFailure::cut_off);
  EXPECT_EQ(response.transport_error,
            "was cut off after 5 bytes, before the end of its body; the "
            "connection dropped");
}

TEST(HttpCutoff, CloseBeforeAnyHeaderStaysADroppedConnection) {
  for (std::string answer : {std::string(), std::string("HTTP/1.1 200 O")}) {
    Response response = send_once(answer);
    EXPECT_EQ(response.failure, TransportFailure::broken) << answer;
    EXPECT_NE(response.transport_error, "") << answer;
  }
}

TEST(HttpCutoff, CutOffAnswersAreRetriedOnlyWhenRepeatingIsSafe) {
  Response cut;
  cut.failure = TransportFailure::cut_off;
  cut.transport_error = "was cut off inside its headers; the connection "
                        "dropped";
  Request assemble;
  assemble.method = "POST";
  EXPECT_TRUE(is_retryable(assemble, cut));
  Request deploy = assemble;
  deploy.idempotent = false;
  EXPECT_FALSE(is_retryable(deploy, cut));
}

namespace {

Response answer(long status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Request json_request() {
  Request request;
  request.method = "POST";
  request.url = "https://sentry.invalid/api/0/organizations/acme/"
                "artifactbundle/assemble/";
  request.expects_json = true;
  return request;
}

} // namespace

TEST(HttpCutoff, EmptyOrBrokenJsonOnA2xxIsACutOffAnswer) {
  struct Case {
    long status;
    std::string body;
    std::string problem;
  };
  for (const Case &c : {
           Case{200, "", "was 200 with an empty body where JSON was expected"},
           Case{201, " \r\n",
                "was 201 with an empty body where JSON was "
                "expected"},
           Case{200, R"({"state":"o)",
                "was 200 with JSON that stops unfinished after 11 bytes"},
           Case{200, R"({"state":"ok",)",
                "was 200 with JSON that stops unfinished after 14 bytes"},
           Case{200, "<html>proxy</html>",
                "was 200 with a body that is not JSON, as if the URL were not "
                "a Sentry server"},
       }) {
    Response response = answer(c.status, c.body);
    mark_incomplete_answer(json_request(), response);
    EXPECT_EQ(response.failure, TransportFailure::cut_off) << c.body;
    EXPECT_EQ(response.status, 0) << c.body;
    EXPECT_EQ(response.transport_error, c.problem) << c.body;
  }
}

TEST(HttpCutoff, OtherAnswersAreLeftAsTheyAre) {
  Response json = answer(200, R"({"state":"ok"})");
  mark_incomplete_answer(json_request(), json);
  EXPECT_EQ(json.status, 200);
  EXPECT_EQ(json.failure, TransportFailure::none);
  // A chunk upload's success is an empty 200; errors need no JSON.
  Request chunk;
  chunk.method = "POST";
  Response empty = answer(200, "");
  mark_incomplete_answer(chunk, empty);
  EXPECT_EQ(empty.status, 200);
  Response refused = answer(502, "");
  mark_incomplete_answer(json_request(), refused);
  EXPECT_EQ(refused.status, 502);
  EXPECT_EQ(refused.transport_error, "");
}

namespace {

// Answers each request with the next scripted response (the last one
// repeats) and counts what it was sent.
class ScriptedTransport : public Transport {
public:
  explicit ScriptedTransport(std::deque<Response> script)
      : m_script(std::move(script)) {}
  int sent = 0;

  Response send(const Request & /*request*/) override {
    ++sent;
    Response next = m_script.front();
    if (m_script.size() > 1) {
      m_script.pop_front();
    }
    return next;
  }
  std::vector<Response> send_all(const std::vector<Request> &requests,
                                 size_t /*concurrency*/) override {
    std::vector<Response> responses;
    for (const auto &request : requests) {
      responses.push_back(send(request));
    }
    return responses;
  }

private:
  std::deque<Response> m_script;
};

RetryPolicy no_wait(int retries) {
  RetryPolicy policy;
  policy.max_retries = retries;
  policy.initial_delay = std::chrono::milliseconds(0);
  return policy;
}

AssembleRequest bundle_request() {
  AssembleRequest request;
  request.checksum = std::string(40, 'a');
  request.chunks = {request.checksum};
  request.projects = {"web"};
  return request;
}

std::string error_of(const std::function<void()> &action) {
  try {
    action();
  } catch (const uploader::Error &error) {
    return error.what();
  }
  return "(no error)";
}

} // namespace

TEST(HttpCutoff, AssembleAnswerCutOffOnceIsRetried) {
  ScriptedTransport transport(
      {answer(200, ""), answer(200, R"({"state":"ok","missingChunks":[]})")});
  std::vector<std::string> retries;
  Api api(transport, "https://sentry.invalid/", no_wait(2),
          [&](std::string_view line) { retries.emplace_back(line); });
  AssembleResponse response =
      assemble_artifact_bundle(api, "acme", bundle_request());
  EXPECT_EQ(response.state, AssembleState::ok);
  EXPECT_EQ(transport.sent, 2);
  ASSERT_EQ(retries.size(), 1u);
  EXPECT_NE(retries[0].find("failed (the answer was 200 with an empty body"),
            std::string::npos)
      << retries[0];
}

TEST(HttpCutoff, AssembleAnswerEmptyEveryTimeIsATransportFailure) {
  ScriptedTransport transport({answer(200, "")});
  Api api(transport, "https://sentry.invalid/", no_wait(2), {});
  std::string message = error_of(
      [&] { assemble_artifact_bundle(api, "acme", bundle_request()); });
  EXPECT_EQ(message,
            "Sentry's answer to POST https://sentry.invalid/api/0/"
            "organizations/acme/artifactbundle/assemble/ was 200 with an empty "
            "body where JSON was expected (after 2 retries); try again later, "
            "or check the URL and any proxy or load balancer in between");
  EXPECT_EQ(transport.sent, 3);
}

TEST(HttpCutoff, ApiCallRetriesAnEmptyAnswerAndThenFails) {
  ScriptedTransport once({answer(200, ""), answer(200, R"([1])")});
  Api api(once, "https://sentry.invalid/", no_wait(1), {});
  EXPECT_EQ(api.call("GET", "projects/", nullptr, "the projects"),
            nlohmann::json::parse("[1]"));
  ScriptedTransport always({answer(200, "")});
  Api failing(always, "https://sentry.invalid/", no_wait(1), {});
  std::string message = error_of(
      [&] { failing.call("GET", "projects/", nullptr, "the projects"); });
  EXPECT_NE(message.find("GET https://sentry.invalid/api/0/projects/ was 200 "
                         "with an empty body where JSON was expected (after 1 "
                         "retry)"),
            std::string::npos)
      << message;
}

TEST(HttpCutoff, ChunkAnswerCutOffEveryTimeFailsTheUpload) {
  auto bundle = std::filesystem::temp_directory_path() /
                ("cutoff-" + test_helpers::process_id() + ".bundle");
  std::ofstream(bundle) << "bundle bytes";
  Response cut;
  cut.failure = TransportFailure::cut_off;
  cut.transport_error = "was cut off after 37 of 120 bytes; the connection "
                        "dropped";
  ScriptedTransport transport({cut});
  Api api(transport, "https://sentry.invalid/", no_wait(1), {});
  ChunkUploadOptions options;
  options.url = "https://sentry.invalid/api/0/organizations/acme/chunk-upload/";
  size_t reported = 0;
  std::string message = error_of([&] {
    uploader::upload::upload_chunks(
        api, options, bundle, {{"sha", 0, 12}},
        [&](std::uint64_t, size_t chunks) { reported += chunks; });
  });
  std::filesystem::remove(bundle);
  EXPECT_EQ(message, "Sentry's answer to POST " + options.url +
                         " was cut off after 37 of 120 bytes; the connection "
                         "dropped (after 1 retry); try again later, or check "
                         "the URL and any proxy or load balancer in between");
  EXPECT_EQ(transport.sent, 2);
  EXPECT_EQ(reported, 0u) << "a cut-off chunk answer is no progress";
}
