#pragma once

#include "uploader/bundle/chunk.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace uploader::upload {

// How chunks of a bundle still being written reach the server.
struct EarlyChunkSending {
  // Which of these chunks (SHA-1s) the server lacks, asked without
  // assembling anything; std::nullopt when the server cannot say.
  std::function<std::optional<std::vector<std::string>>(
      const std::vector<std::string> &)>
      missing;
  // Uploads these chunks of `file`.
  std::function<void(const std::filesystem::path &,
                     const std::vector<bundle::Chunk> &)>
      send;
  // Ask once this many bytes of chunks wait: a small bundle is sent the
  // usual way, after one assemble call for all of its chunks.
  std::uint64_t start_bytes = 4 * 1024 * 1024;
  // At most this much per question: what the server takes in flight.
  std::uint64_t batch_bytes = 256 * 1024 * 1024;
  size_t batch_chunks = 512;
};

struct EarlyChunksSent {
  size_t chunks = 0;
  std::uint64_t bytes = 0;
};

// Overlaps compressing with sending. The assemble call that lists a
// bundle's missing chunks needs every checksum, so a bundle would otherwise
// go up only once all of it is written. Instead, while the writer goes on,
// one thread asks which of the chunks written so far the server lacks and
// uploads those: a cold upload sends as it compresses, a warm or rebuilt
// one sends only what is new. A bundle smaller than `start_bytes` is left
// to the usual assemble call.
class EarlyChunkSender {
public:
  EarlyChunkSender(EarlyChunkSending how, std::filesystem::path file);
  ~EarlyChunkSender();
  EarlyChunkSender(const EarlyChunkSender &) = delete;
  EarlyChunkSender &operator=(const EarlyChunkSender &) = delete;

  // The chunk's bytes are in the file (called by the writer).
  void ready(const bundle::Chunk &chunk);
  // The last chunk is ready: sends what still waits (when sending has
  // begun), then returns what was sent; rethrows the error that stopped the
  // sending thread.
  EarlyChunksSent finish();

private:
  void run();
  std::vector<bundle::Chunk> take_batch();

  EarlyChunkSending m_how;
  std::filesystem::path m_file;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<bundle::Chunk> m_waiting;
  std::uint64_t m_waiting_bytes = 0;
  bool m_finishing = false;
  bool m_started = false;
  bool m_abandoned = false;
  EarlyChunksSent m_sent;
  std::exception_ptr m_error;
  std::thread m_thread; // last: starts once everything above exists
};

} // namespace uploader::upload
