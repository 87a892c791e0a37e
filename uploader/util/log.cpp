#include "uploader/util/log.hpp"

#include "uploader/util/error.hpp"
#include "uploader/util/redact.hpp"

#include <atomic>
#include <cstdio>
#include <string>

namespace uploader::util {

namespace {

std::atomic<LogLevel> g_level{LogLevel::info};

} // namespace

void set_log_level(LogLevel level) { g_level = level; }

LogLevel log_level() { return g_level; }

LogLevel parse_log_level(std::string_view name) {
  if (name == "trace") {
    return LogLevel::trace;
  }
  if (name == "debug") {
    return LogLevel::debug;
  }
  if (name == "info") {
    return LogLevel::info;
  }
  if (name == "warn" || name == "warning") {
    return LogLevel::warn;
  }
  if (name == "error") {
    return LogLevel::error;
  }
  throw UsageError("unknown log level '" + std::string(name) +
                   "'; accepted: trace, debug, info, warn, error");
}

void log(LogLevel level, std::string_view message) {
  if (level < g_level.load()) {
    return;
  }
  std::string line = level == LogLevel::warn    ? "warning: "
                     : level == LogLevel::error ? "error: "
                                                : "";
  line += message;
  line = redact(line) + "\n";
  // One write per line so lines from worker threads do not interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

PhaseTimer::PhaseTimer(std::string_view what)
    : m_what(what), m_last(std::chrono::steady_clock::now()) {}

void PhaseTimer::phase(std::string_view name) {
  auto now = std::chrono::steady_clock::now();
  if (log_level() == LogLevel::trace) {
    auto ms = std::chrono::duration<double, std::milli>(now - m_last).count();
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", ms);
    log(LogLevel::trace,
        m_what + ": " + std::string(name) + " in " + text + " ms");
  }
  m_last = now;
}

} // namespace uploader::util
