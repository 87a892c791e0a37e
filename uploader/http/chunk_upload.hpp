#pragma once

#include "uploader/http/api.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace uploader::http {

// The server's answer to GET /organizations/{org}/chunk-upload/.
struct ChunkUploadOptions {
  std::string url; // absolute, resolved against the API base if relative
  std::uint64_t chunk_size = 8 * 1024 * 1024;
  size_t chunks_per_request = 64;
  std::uint64_t max_request_size = 32 * 1024 * 1024;
  std::uint64_t max_file_size = 0; // 0: not announced
  std::uint64_t max_wait_seconds = 0;
  size_t concurrency = 8;
  std::vector<std::string> compression;
  std::vector<std::string> accept;

  bool accepts(std::string_view capability) const;
};

// Parses the options JSON, tolerating unknown fields; a relative `url` is
// resolved against `api`. Throws Error on a missing or zero chunk size.
ChunkUploadOptions parse_chunk_upload_options(const nlohmann::json &json,
                                              const Api &api);

ChunkUploadOptions fetch_chunk_upload_options(Api &api, std::string_view org);

// A slice of the bundle file and its SHA-1 (lowercase hex).
struct Chunk {
  std::string sha1;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

// Groups chunks, in order, into requests of at most `chunks_per_request`
// chunks and `max_request_size` bytes (but at least one chunk each).
std::vector<std::vector<Chunk>> batch_chunks(const std::vector<Chunk> &chunks,
                                             size_t chunks_per_request,
                                             std::uint64_t max_request_size);

// Called after each finished request with the bytes and chunks it carried.
using ChunkProgress = std::function<void(std::uint64_t bytes, size_t chunks)>;

// POSTs `chunks` of `bundle` to the options' URL as multipart `file` parts
// named by their SHA-1, streamed from disk, up to `concurrency` requests in
// flight; failed requests are retried on their own. Throws on failure.
void upload_chunks(Api &api, const ChunkUploadOptions &options,
                   const std::filesystem::path &bundle,
                   const std::vector<Chunk> &chunks,
                   const ChunkProgress &progress);

} // namespace uploader::http
