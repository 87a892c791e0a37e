#include "uploader/upload/early_chunks.hpp"

#include <set>

namespace uploader::upload {

EarlyChunkSender::EarlyChunkSender(EarlyChunkSending how,
                                   std::filesystem::path file)
    : m_how(std::move(how)), m_file(std::move(file)),
      m_thread([this] { run(); }) {}

EarlyChunkSender::~EarlyChunkSender() {
  {
    std::lock_guard lock(m_mutex);
    m_finishing = true;
    m_abandoned = true; // the bundle was not finished: send no more of it
  }
  m_wake.notify_all();
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

void EarlyChunkSender::ready(const bundle::Chunk &chunk) {
  {
    std::lock_guard lock(m_mutex);
    m_waiting.push_back(chunk);
    m_waiting_bytes += chunk.size;
  }
  m_wake.notify_one();
}

EarlyChunksSent EarlyChunkSender::finish() {
  {
    std::lock_guard lock(m_mutex);
    m_finishing = true;
  }
  m_wake.notify_all();
  m_thread.join();
  if (m_error) {
    std::rethrow_exception(m_error);
  }
  return m_sent;
}

std::vector<bundle::Chunk> EarlyChunkSender::take_batch() {
  std::unique_lock lock(m_mutex);
  m_wake.wait(lock, [&] {
    return m_finishing || m_waiting_bytes >= m_how.start_bytes;
  });
  std::vector<bundle::Chunk> batch;
  // Once sending has begun, what waits at the end goes the same way, so a
  // bundle of `start_bytes` or more is sent entirely from here.
  bool drain = m_started || m_waiting_bytes >= m_how.start_bytes;
  if (m_abandoned || (m_finishing && !drain)) {
    return batch;
  }
  m_started = true;
  std::uint64_t bytes = 0;
  while (
      !m_waiting.empty() && batch.size() < m_how.batch_chunks &&
      (batch.empty() || bytes + m_waiting.front().size <= m_how.batch_bytes)) {
    bytes += m_waiting.front().size;
    batch.push_back(std::move(m_waiting.front()));
    m_waiting.pop_front();
  }
  m_waiting_bytes -= bytes;
  return batch;
}

void EarlyChunkSender::run() {
  try {
    for (auto batch = take_batch(); !batch.empty(); batch = take_batch()) {
      std::vector<std::string> names;
      for (const auto &chunk : batch) {
        names.push_back(chunk.sha1);
      }
      auto missing = m_how.missing(names);
      if (!missing) {
        return; // the usual assemble call will do it all
      }
      std::set<std::string> lacking(missing->begin(), missing->end());
      std::vector<bundle::Chunk> to_send;
      for (auto &chunk : batch) {
        if (lacking.erase(chunk.sha1) > 0) {
          to_send.push_back(std::move(chunk));
        }
      }
      if (!to_send.empty()) {
        m_how.send(m_file, to_send);
      }
      std::lock_guard lock(m_mutex);
      for (const auto &chunk : to_send) {
        m_sent.bytes += chunk.size;
      }
      m_sent.chunks += to_send.size();
    }
  } catch (...) {
    std::lock_guard lock(m_mutex);
    m_error = std::current_exception();
  }
}

} // namespace uploader::upload
