#pragma once

#include "uploader/bundle/chunk.hpp"
#include "uploader/http/api.hpp"
#include "uploader/http/chunk_upload_options.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

namespace uploader::upload {

// Groups chunks, in order, into requests of at most `chunks_per_request`
// chunks and `max_request_size` bytes (but at least one chunk each).
std::vector<std::vector<bundle::Chunk>>
batch_chunks(const std::vector<bundle::Chunk> &chunks,
             size_t chunks_per_request, std::uint64_t max_request_size);

// Called after each finished request with the bytes and chunks it carried.
using ChunkProgress = std::function<void(std::uint64_t bytes, size_t chunks)>;

// POSTs `chunks` of `bundle` to the options' URL as multipart `file` parts
// named by their SHA-1, streamed from disk, up to `concurrency` requests in
// flight; failed requests are retried on their own. Throws on failure.
void upload_chunks(http::Api &api, const http::ChunkUploadOptions &options,
                   const std::filesystem::path &bundle,
                   const std::vector<bundle::Chunk> &chunks,
                   const ChunkProgress &progress);

} // namespace uploader::upload
