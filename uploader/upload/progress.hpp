#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace uploader::upload {

// How the upload talks to the person or the CI log watching it: on a
// terminal a progress bar that redraws in place, elsewhere one plain line
// per phase (info level, so --quiet hides both). Output goes to stderr, so
// stdout stays clean for --json.
class Progress {
public:
  explicit Progress(bool terminal);

  // Prints one line describing a phase.
  void phase(std::string_view line);
  // Sets the totals the bar counts towards.
  void start_transfer(std::uint64_t bytes, size_t chunks);
  // Adds finished work; redraws the bar on a terminal.
  void advance(std::uint64_t bytes, size_t chunks);
  // Ends the bar line, if one is drawn.
  void finish_transfer();

private:
  void draw();

  bool m_terminal;
  std::mutex m_mutex;
  std::uint64_t m_total_bytes = 0;
  std::uint64_t m_done_bytes = 0;
  size_t m_total_chunks = 0;
  size_t m_done_chunks = 0;
  bool m_bar_drawn = false;
};

// "12.3 MiB"
std::string format_mib(std::uint64_t bytes);

} // namespace uploader::upload
