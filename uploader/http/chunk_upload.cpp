#include "uploader/http/chunk_upload.hpp"

#include "uploader/util/error.hpp"

#include <algorithm>

namespace uploader::http {

bool ChunkUploadOptions::accepts(std::string_view capability) const {
  return std::ranges::find(accept, capability) != accept.end();
}

namespace {

template <typename T>
T number_or(const nlohmann::json &json, const char *key, T fallback) {
  auto it = json.find(key);
  return it != json.end() && it->is_number_unsigned() ? it->get<T>() : fallback;
}

std::vector<std::string> strings(const nlohmann::json &json, const char *key) {
  std::vector<std::string> values;
  if (auto it = json.find(key); it != json.end() && it->is_array()) {
    for (const auto &value : *it) {
      if (value.is_string()) {
        values.push_back(value.get<std::string>());
      }
    }
  }
  return values;
}

} // namespace

ChunkUploadOptions parse_chunk_upload_options(const nlohmann::json &json,
                                              const Api &api) {
  ChunkUploadOptions options;
  std::string url = json.value("url", "");
  if (url.empty()) {
    throw Error("Sentry's chunk-upload options at " + api.base_url() +
                " name no upload URL; is this a Sentry server?");
  }
  bool absolute = url.starts_with("http://") || url.starts_with("https://");
  options.url = absolute ? url : api.url(url);
  options.chunk_size = number_or<std::uint64_t>(json, "chunkSize", 0);
  if (options.chunk_size == 0) {
    throw Error("Sentry's chunk-upload options at " + api.base_url() +
                " give no chunk size");
  }
  options.chunks_per_request =
      std::max<size_t>(1, number_or<size_t>(json, "chunksPerRequest", 64));
  options.max_request_size =
      number_or<std::uint64_t>(json, "maxRequestSize", 32 * 1024 * 1024);
  options.max_file_size = number_or<std::uint64_t>(json, "maxFileSize", 0);
  options.max_wait_seconds = number_or<std::uint64_t>(json, "maxWait", 0);
  options.concurrency =
      std::max<size_t>(1, number_or<size_t>(json, "concurrency", 8));
  options.compression = strings(json, "compression");
  options.accept = strings(json, "accept");
  return options;
}

ChunkUploadOptions fetch_chunk_upload_options(Api &api, std::string_view org) {
  auto json = api.call(
      "GET", "organizations/" + encode_path_segment(org) + "/chunk-upload/",
      nullptr, "organization '" + std::string(org) + "'");
  return parse_chunk_upload_options(json, api);
}

std::vector<std::vector<Chunk>> batch_chunks(const std::vector<Chunk> &chunks,
                                             size_t chunks_per_request,
                                             std::uint64_t max_request_size) {
  std::vector<std::vector<Chunk>> batches;
  std::uint64_t size = 0;
  for (const auto &chunk : chunks) {
    bool full =
        !batches.empty() && (batches.back().size() >= chunks_per_request ||
                             size + chunk.size > max_request_size);
    if (batches.empty() || full) {
      batches.emplace_back();
      size = 0;
    }
    batches.back().push_back(chunk);
    size += chunk.size;
  }
  return batches;
}

void upload_chunks(Api &api, const ChunkUploadOptions &options,
                   const std::filesystem::path &bundle,
                   const std::vector<Chunk> &chunks,
                   const ChunkProgress &progress) {
  auto batches = batch_chunks(chunks, options.chunks_per_request,
                              options.max_request_size);
  std::vector<Request> requests;
  for (const auto &batch : batches) {
    Request request;
    request.method = "POST";
    request.url = options.url;
    for (const auto &chunk : batch) {
      // Raw `file` parts: the bundle's entries are already deflated, so
      // gzip would only burn CPU for a few bytes.
      MultipartPart part;
      part.name = "file";
      part.filename = chunk.sha1;
      part.file = FileRange{bundle, chunk.offset, chunk.size};
      request.parts.push_back(std::move(part));
    }
    requests.push_back(std::move(request));
  }
  auto responses = send_with_retry(api.client(), requests, options.concurrency,
                                   api.policy(), api.observer());
  for (size_t i = 0; i < responses.size(); ++i) {
    const Response &response = responses[i];
    if (!response.transport_error.empty() || response.status < 200 ||
        response.status >= 300) {
      api.fail(requests[i], response, "the chunk upload endpoint");
    }
    if (progress) {
      std::uint64_t bytes = 0;
      for (const auto &chunk : batches[i]) {
        bytes += chunk.size;
      }
      progress(bytes, batches[i].size());
    }
  }
}

} // namespace uploader::http
