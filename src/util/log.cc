#include "util/log.h"

#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>

namespace hbd {
namespace {

struct Sinks {
  std::mutex mu;
  LogSettings settings;
  FILE* logfile = nullptr;
  FILE* debugfile = nullptr;
  bool syslog_open = false;
};

Sinks& GetSinks() {
  static Sinks* sinks = new Sinks();  // never destroyed: logging works during exit
  return *sinks;
}

std::atomic<bool> g_debug{false};

int FacilityCode(const std::string& name) {
  static const struct {
    const char* name;
    int code;
  } kFacilities[] = {{"kern", LOG_KERN},     {"user", LOG_USER},         {"mail", LOG_MAIL},
                     {"daemon", LOG_DAEMON}, {"auth", LOG_AUTH},         {"syslog", LOG_SYSLOG},
                     {"lpr", LOG_LPR},       {"news", LOG_NEWS},         {"uucp", LOG_UUCP},
                     {"cron", LOG_CRON},     {"authpriv", LOG_AUTHPRIV}, {"ftp", LOG_FTP},
                     {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},     {"local2", LOG_LOCAL2},
                     {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},     {"local5", LOG_LOCAL5},
                     {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7}};
  for (const auto& f : kFacilities) {
    if (name == f.name)
      return f.code;
  }
  return LOG_DAEMON;
}

std::string TimeStamp() {
  auto now = std::chrono::system_clock::now();  // wall clock for humans only, never for timing
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03d", buf, static_cast<int>(ms.count()));
  return out;
}

FILE* OpenAppend(const std::string& path) {
  if (path.empty() || path == "/dev/null")
    return nullptr;
  FILE* f = std::fopen(path.c_str(), "ae");
  if (f)
    std::setvbuf(f, nullptr, _IOLBF, 0);
  return f;
}

void WriteLine(FILE* f, const std::string& line) {
  if (!f)
    return;
  // A full disk must not stop hbd: a failed write is dropped (and cleared) silently.
  if (std::fputs(line.c_str(), f) < 0)
    std::clearerr(f);
}

}  // namespace

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kCrit:
      return "CRIT";
    case LogLevel::kError:
      return "ERROR";
    case LogLevel::kWarning:
      return "WARN";
    case LogLevel::kNotice:
      return "notice";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "?";
}

bool RunningUnderJournald() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (!stream)
    return false;
  unsigned long dev = 0, ino = 0;
  if (std::sscanf(stream, "%lu:%lu", &dev, &ino) != 2)
    return false;
  struct stat st {};
  return ::fstat(STDERR_FILENO, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
}

void ConfigureLogging(const LogSettings& settings) {
  Sinks& s = GetSinks();
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.logfile)
    std::fclose(s.logfile);
  if (s.debugfile)
    std::fclose(s.debugfile);
  s.settings = settings;
  s.logfile = OpenAppend(settings.logfile);
  s.debugfile = OpenAppend(settings.debugfile);
  if (s.syslog_open)
    ::closelog();
  s.syslog_open = false;
  if (!settings.syslog_facility.empty() && settings.syslog_facility != "none") {
    ::openlog(s.settings.ident.c_str(), LOG_PID | LOG_NDELAY,
              FacilityCode(settings.syslog_facility));
    s.syslog_open = true;
  }
  g_debug = settings.debug > 0;
}

bool DebugEnabled() {
  return g_debug.load(std::memory_order_relaxed);
}

void LogDebug(const std::string& m) {
  if (DebugEnabled())
    Log(LogLevel::kDebug, m);
}

void Log(LogLevel level, const std::string& message) {
  Sinks& s = GetSinks();
  std::lock_guard<std::mutex> lock(s.mu);
  const bool debug = level == LogLevel::kDebug;
  std::string stamped = TimeStamp() + " " + s.settings.ident + "[" + std::to_string(::getpid()) +
                        "]: " + LevelName(level) + ": " + message + "\n";
  if (s.settings.to_stderr) {
    if (s.settings.journald) {
      std::string line = "<" + std::to_string(static_cast<int>(level)) + ">" + LevelName(level) +
                         ": " + message + "\n";
      WriteLine(stderr, line);
    } else {
      WriteLine(stderr, stamped);
    }
  }
  if (!debug) {
    WriteLine(s.logfile, stamped);
    if (s.syslog_open)
      ::syslog(static_cast<int>(level), "%s: %s", LevelName(level), message.c_str());
  }
  WriteLine(s.debugfile, stamped);
}

}  // namespace hbd
