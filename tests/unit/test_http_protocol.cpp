#include "uploader/http/api.hpp"
#include "uploader/http/assemble.hpp"
#include "uploader/http/chunk_upload_options.hpp"
#include "uploader/http/client.hpp"
#include "uploader/http/retry.hpp"
#include "uploader/upload/chunks.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

using namespace uploader::http;
using uploader::bundle::Chunk;
using uploader::upload::batch_chunks;
using namespace std::chrono_literals;

TEST(HttpApi, EncodesPathSegmentsLikeSentryCli) {
  EXPECT_EQ(encode_path_segment("my-app@1.2.3+build"), "my-app@1.2.3%2Bbuild");
  EXPECT_EQ(encode_path_segment("a b#c?d"), "a%20b%23c%3Fd");
  EXPECT_EQ(encode_path_segment("a/b"), "a%EF%BF%BDb");
  EXPECT_EQ(encode_path_segment(".."), "%EF%BF%BD");
  EXPECT_EQ(encode_path_segment("100%"), "100%25");
}

TEST(HttpApi, BuildsApiUrlsFromAnyPathSpelling) {
  Client client(ClientOptions{});
  Api api(client, "https://sentry.example.com/", {}, {});
  for (auto path :
       {"organizations/x/chunk-upload/", "/organizations/x/chunk-upload/",
        "/api/0/organizations/x/chunk-upload/"}) {
    EXPECT_EQ(api.url(path),
              "https://sentry.example.com/api/0/organizations/x/chunk-upload/");
  }
}

TEST(HttpChunkUpload, ParsesOptionsAndResolvesRelativeUrl) {
  Client client(ClientOptions{});
  Api api(client, "http://127.0.0.1:9/", {}, {});
  auto options = parse_chunk_upload_options(
      nlohmann::json::parse(
          R"({"url":"organizations/wat-org/chunk-upload/","chunkSize":8388608,
              "chunksPerRequest":64,"maxFileSize":2147483648,
              "maxRequestSize":33554432,"concurrency":8,"hashAlgorithm":"sha1",
              "compression":["gzip"],"accept":["debug_files","artifact_bundles_v2"],
              "unknownField":true})"),
      api);
  EXPECT_EQ(options.url,
            "http://127.0.0.1:9/api/0/organizations/wat-org/chunk-upload/");
  EXPECT_EQ(options.chunk_size, 8388608u);
  EXPECT_EQ(options.max_file_size, 2147483648u);
  EXPECT_TRUE(options.accepts("artifact_bundles_v2"));
  EXPECT_FALSE(options.accepts("artifact_bundles"));
}

TEST(HttpChunkUpload, AbsoluteUrlIsKeptAndZeroChunkSizeRejected) {
  Client client(ClientOptions{});
  Api api(client, "http://a/", {}, {});
  auto options = parse_chunk_upload_options(
      nlohmann::json::parse(
          R"({"url":"https://us.sentry.io/api/0/x/","chunkSize":1})"),
      api);
  EXPECT_EQ(options.url, "https://us.sentry.io/api/0/x/");
  EXPECT_THROW(parse_chunk_upload_options(
                   nlohmann::json::parse(R"({"url":"x/","chunkSize":0})"), api),
               uploader::Error);
}

TEST(HttpChunkUpload, BatchesRespectCountAndSize) {
  std::vector<Chunk> chunks;
  for (int i = 0; i < 5; ++i) {
    chunks.push_back(
        {std::to_string(i), static_cast<std::uint64_t>(i) * 10, 10});
  }
  auto by_count = batch_chunks(chunks, 2, 1000);
  ASSERT_EQ(by_count.size(), 3u);
  EXPECT_EQ(by_count[2].size(), 1u);
  auto by_size = batch_chunks(chunks, 64, 25);
  ASSERT_EQ(by_size.size(), 3u);
  EXPECT_EQ(by_size[0].size(), 2u);
  // A chunk larger than the request limit still goes, alone.
  auto oversized = batch_chunks({{"a", 0, 100}, {"b", 100, 1}}, 64, 50);
  ASSERT_EQ(oversized.size(), 2u);
}

TEST(HttpAssemble, BodyKeepsSentryCliFieldOrderAndDropsEmpties) {
  AssembleRequest request{"c", {"a", "b"}, {"web"}, "1.0", "web"};
  EXPECT_EQ(
      to_json_body(request),
      R"({"checksum":"c","chunks":["a","b"],"projects":["web"],"version":"1.0","dist":"web"})");
  request.version.reset();
  EXPECT_EQ(to_json_body(request),
            R"({"checksum":"c","chunks":["a","b"],"projects":["web"]})");
}

TEST(HttpRetry, RetryableStatuses) {
  for (long status : {408, 429, 500, 502, 503, 504, 507, 524}) {
    Response response;
    response.status = status;
    EXPECT_TRUE(is_retryable(response)) << status;
  }
  for (long status : {200, 400, 401, 403, 404, 413}) {
    Response response;
    response.status = status;
    EXPECT_FALSE(is_retryable(response)) << status;
  }
  Response dropped;
  dropped.transport_error = "Connection reset by peer";
  EXPECT_TRUE(is_retryable(dropped));
}

TEST(HttpRetry, ParsesRetryAfterSecondsAndDates) {
  auto now = std::chrono::system_clock::from_time_t(1445412480); // 07:28:00
  EXPECT_EQ(parse_retry_after("3", now), 3000ms);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:05 GMT", now), 5000ms);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), 0ms);
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
}

TEST(HttpRetry, DelayHonoursRetryAfterCapAndBacksOff) {
  RetryPolicy policy;
  Response limited;
  limited.status = 429;
  limited.headers = {{"retry-after", "120"}};
  EXPECT_EQ(retry_delay(limited, 1, policy, 0.5), policy.max_retry_after);
  Response failed;
  failed.status = 503;
  EXPECT_EQ(retry_delay(failed, 1, policy, 0.5), 1000ms);
  EXPECT_EQ(retry_delay(failed, 3, policy, 0.5), 4000ms);
  EXPECT_EQ(retry_delay(failed, 10, policy, 0.5), policy.max_delay);
  EXPECT_EQ(retry_delay(failed, 1, policy, 0.0), 750ms);
}

TEST(HttpRetry, TlsAndDeadlineFailuresAreFinal) {
  Response tls;
  tls.transport_error = "SSL certificate problem";
  tls.failure = TransportFailure::tls;
  EXPECT_FALSE(is_retryable(tls));
  Response late;
  late.transport_error = "Operation timed out";
  late.failure = TransportFailure::deadline;
  EXPECT_FALSE(is_retryable(late));
  Response slow = late;
  slow.failure = TransportFailure::timeout;
  EXPECT_TRUE(is_retryable(slow));
}

TEST(HttpRetry, NonIdempotentRequestsRetryOnlyWhenSurelyNotProcessed) {
  Request deploy;
  deploy.method = "POST";
  deploy.idempotent = false;
  Response refused;
  refused.transport_error = "Connection refused";
  refused.failure = TransportFailure::connect;
  EXPECT_TRUE(is_retryable(deploy, refused));
  Response limited;
  limited.status = 429;
  EXPECT_TRUE(is_retryable(deploy, limited));
  Response reset;
  reset.transport_error = "Connection reset by peer";
  reset.failure = TransportFailure::broken;
  EXPECT_FALSE(is_retryable(deploy, reset));
  Response failed;
  failed.status = 502;
  EXPECT_FALSE(is_retryable(deploy, failed));
  Request chunk;
  EXPECT_TRUE(is_retryable(chunk, reset));
  EXPECT_TRUE(is_retryable(chunk, failed));
}
