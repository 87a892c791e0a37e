#pragma once

#include "uploader/http/api.hpp"

#include <cstdint>
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

} // namespace uploader::http
