#include "uploader/util/parallel_close.hpp"

#include <unistd.h>

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

void ParallelCloser::close_later(int fd) {
  if (fd < 0) {
    return;
  }
  {
    std::lock_guard lock(m_mutex);
    m_fds.push_back(fd);
  }
  m_queued.notify_one();
}

void ParallelCloser::run() {
  for (;;) {
    int fd = -1;
    {
      std::unique_lock lock(m_mutex);
      m_queued.wait(lock, [this] { return m_stopping || !m_fds.empty(); });
      if (m_fds.empty()) {
        return; // stopping, and nothing left
      }
      fd = m_fds.front();
      m_fds.pop_front();
    }
    ::close(fd);
  }
}

} // namespace uploader::util
