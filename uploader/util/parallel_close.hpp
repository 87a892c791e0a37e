#pragma once

#include "uploader/util/native_file.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace uploader::util {

// Closes files on a few threads.
//
// Closing the last reference to a file that was replaced frees its blocks,
// and on a file system mounted with `discard` every free waits for the
// device. Holding the replaced file open across the rename and closing it
// here keeps that wait out of the rename loop and overlaps several of them.
class ParallelCloser {
public:
  explicit ParallelCloser(std::size_t threads = 4);
  // Closes whatever is still queued and joins the threads.
  ~ParallelCloser();
  ParallelCloser(const ParallelCloser &) = delete;
  ParallelCloser &operator=(const ParallelCloser &) = delete;

  // Queues `file` (ignored if k_no_file) to be closed soon.
  void close_later(NativeHandle file);

private:
  void run();

  std::mutex m_mutex;
  std::condition_variable m_queued;
  std::deque<NativeHandle> m_files;
  bool m_stopping = false;
  std::vector<std::thread> m_threads;
};

} // namespace uploader::util
