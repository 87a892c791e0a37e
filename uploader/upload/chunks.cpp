#include "uploader/upload/chunks.hpp"

#include "uploader/http/retry.hpp"

namespace uploader::upload {

std::vector<std::vector<bundle::Chunk>>
batch_chunks(const std::vector<bundle::Chunk> &chunks,
             size_t chunks_per_request, std::uint64_t max_request_size) {
  std::vector<std::vector<bundle::Chunk>> batches;
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

void upload_chunks(http::Api &api, const http::ChunkUploadOptions &options,
                   const std::filesystem::path &bundle,
                   const std::vector<bundle::Chunk> &chunks,
                   const ChunkProgress &progress) {
  auto batches = batch_chunks(chunks, options.chunks_per_request,
                              options.max_request_size);
  std::vector<http::Request> requests;
  for (const auto &batch : batches) {
    http::Request request;
    request.method = "POST";
    request.url = options.url;
    for (const auto &chunk : batch) {
      // Raw `file` parts: the bundle's entries are already deflated, so
      // gzip would only burn CPU for a few bytes.
      http::MultipartPart part;
      part.name = "file";
      part.filename = chunk.sha1;
      part.file = http::FileRange{bundle, chunk.offset, chunk.size};
      request.parts.push_back(std::move(part));
    }
    requests.push_back(std::move(request));
  }
  auto responses =
      http::send_with_retry(api.transport(), requests, options.concurrency,
                            api.policy(), api.observer());
  for (size_t i = 0; i < responses.size(); ++i) {
    const http::Response &response = responses[i];
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

} // namespace uploader::upload
