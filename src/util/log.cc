#include "util/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>

namespace hbd {
namespace {

// A log file written one whole line per write(2), O_APPEND (scripts append to it too). Lines
// that cannot be written (disk full, quota, I/O error) are counted, and the first line that can
// be written again is preceded by a note saying how many were lost and why.
struct FileSink {
  int fd = -1;
  uint64_t lost = 0;
  int lost_errno = 0;
  bool mid_line = false;  // a short write left an unfinished line behind
};

struct Sinks {
  std::mutex mu;
  LogSettings settings;
  FileSink logfile;
  FileSink debugfile;
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

FileSink OpenAppend(const std::string& path) {
  FileSink sink;
  if (path.empty() || path == "/dev/null")
    return sink;
  sink.fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  return sink;
}

void Close(FileSink& sink) {
  if (sink.fd >= 0)
    ::close(sink.fd);
  sink = FileSink{};
}

// Writes all of `text`; false (errno set) when it could not, with `partial` set when some of it
// was written.
bool WriteAll(int fd, const std::string& text, bool& partial) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0)
        errno = ENOSPC;
      partial = done > 0;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

// `prefix` is the time stamp and ident of `line`, for the lost-lines note.
void WriteLine(FileSink& sink, const std::string& prefix, const std::string& line) {
  if (sink.fd < 0)
    return;
  if (sink.lost > 0) {
    std::string note = (sink.mid_line ? "\n" : "") + prefix + "WARN: " + std::to_string(sink.lost) +
                       (sink.lost == 1 ? " log line lost (" : " log lines lost (") +
                       std::strerror(sink.lost_errno) + ")\n";
    bool partial = false;
    if (!WriteAll(sink.fd, note, partial)) {
      ++sink.lost;  // this line too; the note is tried again with the next one
      sink.lost_errno = errno;
      sink.mid_line = sink.mid_line || partial;
      return;
    }
    sink.lost = 0;
    sink.mid_line = false;
  }
  bool partial = false;
  if (!WriteAll(sink.fd, line, partial)) {
    ++sink.lost;
    sink.lost_errno = errno;
    sink.mid_line = partial;
  }
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
  Close(s.logfile);
  Close(s.debugfile);
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
  const std::string prefix =
      TimeStamp() + " " + s.settings.ident + "[" + std::to_string(::getpid()) + "]: ";
  std::string stamped = prefix + LevelName(level) + ": " + message + "\n";
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
    WriteLine(s.logfile, prefix, stamped);
    if (s.syslog_open)
      ::syslog(static_cast<int>(level), "%s: %s", LevelName(level), message.c_str());
  }
  WriteLine(s.debugfile, prefix, stamped);
}

}  // namespace hbd
