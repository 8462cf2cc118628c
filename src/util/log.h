// hbd's one logging interface. Every line names what it is about (node, link, resource); where it
// goes is set once from ha.cf: syslog facility (or none), logfile, debugfile and, when systemd
// runs hbd (JOURNAL_STREAM set), stderr with journald <N> priority prefixes. A logfile or
// debugfile that cannot be written (disk full) never stops hbd: its lines are counted as lost and
// the first line written once there is room again is preceded by "N log lines lost (reason)".
// Thread-safe (one mutex around the sinks).
#pragma once

#include <memory>
#include <string>

namespace hbd {

enum class LogLevel { kCrit = 2, kError = 3, kWarning = 4, kNotice = 5, kInfo = 6, kDebug = 7 };

struct LogSettings {
  std::string ident = "hbd";
  std::string syslog_facility;  // "" or "none": no syslog
  std::string logfile;
  std::string debugfile;
  int debug = 0;          // >0: debug lines are written (to debugfile, and stderr)
  bool to_stderr = true;  // plain lines with a time stamp (foreground, tests)
  bool journald = false;  // stderr lines carry <N> priority prefixes for journald
};

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void Log(LogLevel level, const std::string& message) = 0;
};

// Configures the process-wide logger (replacing the previous one; safe at reload).
void ConfigureLogging(const LogSettings& settings);
// Journald is detected from JOURNAL_STREAM, as systemd sets it for the service's stderr.
bool RunningUnderJournald();

void Log(LogLevel level, const std::string& message);
inline void LogCrit(const std::string& m) {
  Log(LogLevel::kCrit, m);
}
inline void LogError(const std::string& m) {
  Log(LogLevel::kError, m);
}
inline void LogWarning(const std::string& m) {
  Log(LogLevel::kWarning, m);
}
inline void LogNotice(const std::string& m) {
  Log(LogLevel::kNotice, m);
}
inline void LogInfo(const std::string& m) {
  Log(LogLevel::kInfo, m);
}
void LogDebug(const std::string& m);  // dropped cheaply unless debug > 0
bool DebugEnabled();

const char* LevelName(LogLevel level);

}  // namespace hbd
