#include "uploader/upload/progress.hpp"

#include "uploader/util/log.hpp"

#include <cstdio>

namespace uploader::upload {

std::string format_mib(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB",
                static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

Progress::Progress(bool terminal)
    : m_terminal(terminal && util::log_level() <= util::LogLevel::info) {}

void Progress::phase(std::string_view line) {
  std::lock_guard lock(m_mutex);
  if (m_bar_drawn) {
    std::fputs("\n", stderr);
    m_bar_drawn = false;
  }
  util::log_info(std::string("> ") + std::string(line));
}

void Progress::start_transfer(std::uint64_t bytes, size_t chunks) {
  std::lock_guard lock(m_mutex);
  m_total_bytes = bytes;
  m_total_chunks = chunks;
  m_done_bytes = 0;
  m_done_chunks = 0;
}

void Progress::advance(std::uint64_t bytes, size_t chunks) {
  std::lock_guard lock(m_mutex);
  m_done_bytes += bytes;
  m_done_chunks += chunks;
  if (m_terminal) {
    draw();
  }
}

void Progress::draw() {
  constexpr int k_width = 30;
  double fraction = m_total_bytes == 0 ? 1.0
                                       : static_cast<double>(m_done_bytes) /
                                             static_cast<double>(m_total_bytes);
  int filled = static_cast<int>(fraction * k_width);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(k_width, '-');
  std::fprintf(stderr, "\r  [%s] %5.1f / %.1f MiB, %zu / %zu chunks",
               bar.c_str(), static_cast<double>(m_done_bytes) / 1048576.0,
               static_cast<double>(m_total_bytes) / 1048576.0, m_done_chunks,
               m_total_chunks);
  std::fflush(stderr);
  m_bar_drawn = true;
}

void Progress::finish_transfer() {
  std::lock_guard lock(m_mutex);
  if (m_bar_drawn) {
    std::fputs("\n", stderr);
    m_bar_drawn = false;
  }
}

} // namespace uploader::upload
