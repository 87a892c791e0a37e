#include "uploader/http/chunk_upload_options.hpp"

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

} // namespace uploader::http
