#include "uploader/inject/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace uploader::inject {

void for_each_index(std::size_t count,
                    const std::function<void(std::size_t)> &work) {
  std::size_t threads =
      std::min<std::size_t>({2, count, std::thread::hardware_concurrency()});
  if (threads <= 1) {
    for (std::size_t i = 0; i < count; ++i) {
      work(i);
    }
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(count);
  auto run = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        work(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::jthread> pool;
  for (std::size_t t = 1; t < threads; ++t) {
    pool.emplace_back(run);
  }
  run();
  pool.clear();
  for (auto &error : errors) {
    if (error) {
      std::rethrow_exception(error);
    }
  }
}

} // namespace uploader::inject
