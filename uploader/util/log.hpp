#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace uploader::util {

enum class LogLevel { trace, debug, info, warn, error };

// Process-wide log threshold; --verbose lowers it to debug, --quiet raises
// it to error, --log-level sets it (sentry-cli's names).
void set_log_level(LogLevel level);
LogLevel log_level();
// Parses "trace|debug|info|warn|error"; throws UsageError otherwise.
LogLevel parse_log_level(std::string_view name);

// Writes one line to stderr, redacted, when `level` passes the threshold:
// "warning: ..." / "error: ..." prefixes for those levels, plain otherwise.
void log(LogLevel level, std::string_view message);

// Logs, at trace level, how long each phase of a command took:
// "<what>: <phase> in N ms". Costs nothing measurable when not logged.
class PhaseTimer {
public:
  explicit PhaseTimer(std::string_view what);
  // Logs the time since the previous phase (or construction).
  void phase(std::string_view name);

private:
  std::string m_what;
  std::chrono::steady_clock::time_point m_last;
};

inline void log_debug(std::string_view m) { log(LogLevel::debug, m); }
inline void log_info(std::string_view m) { log(LogLevel::info, m); }
inline void log_warn(std::string_view m) { log(LogLevel::warn, m); }

} // namespace uploader::util
