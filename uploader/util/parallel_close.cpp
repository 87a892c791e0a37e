#include "uploader/util/parallel_close.hpp"

namespace uploader::util {

ParallelCloser::ParallelCloser(std::size_t threads) {
  for (std::size_t i = 0; i < threads; ++i) {
    m_threads.emplace_back([this] { run(); });
  }
}

ParallelCloser::~ParallelCloser() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_queued.notify_all();
  for (auto &thread : m_threads) {
    thread.join();
  }
}

void ParallelCloser::close_later(NativeHandle file) {
  if (file == k_no_file) {
    return;
  }
  {
    std::lock_guard lock(m_mutex);
    m_files.push_back(file);
  }
  m_queued.notify_one();
}

void ParallelCloser::run() {
  for (;;) {
    NativeHandle file = k_no_file;
    {
      std::unique_lock lock(m_mutex);
      m_queued.wait(lock, [this] { return m_stopping || !m_files.empty(); });
      if (m_files.empty()) {
        return; // stopping, and nothing left
      }
      file = m_files.front();
      m_files.pop_front();
    }
    close_native(file);
  }
}

} // namespace uploader::util
