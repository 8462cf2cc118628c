#include "daemon/systemd_notify.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>

#include "util/log.h"
#include "util/rate_limiter.h"
#include "util/time.h"

namespace hbd::daemon {
namespace {

// Logs a failed notification; a watchdog ping failing every few seconds gives one line a minute.
void Send(const std::string& state) {
  std::string error = NotifySystemd(state);
  if (error.empty())
    return;
  static std::mutex mu;
  static RateLimiter limiter(std::chrono::seconds(60), 1);
  std::lock_guard<std::mutex> lock(mu);
  auto d = limiter.Check("notify", Clock::now());
  if (d.allow) {
    LogWarning("cannot notify systemd (" + state.substr(0, state.find('\n')) + "): " + error +
               (d.suppressed_before
                    ? " (" + std::to_string(d.suppressed_before) + " similar failures suppressed)"
                    : ""));
  }
}

}  // namespace

bool SystemdListening() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return socket && *socket;
}

std::string NotifySystemd(const std::string& state) {
  if (!SystemdListening())
    return {};
  int r = sd_notify(0, state.c_str());
  if (r < 0)
    return std::strerror(-r);
  return {};
}

void NotifyReady() {
  Send("READY=1");
}

void NotifyReloading() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  uint64_t usec =
      static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
  Send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void NotifyStopping() {
  Send("STOPPING=1");
}

void NotifyStatus(const std::string& line) {
  std::string text = line;
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\0')
      c = ' ';
  }
  Send("STATUS=" + text);
}

void NotifyWatchdog() {
  Send("WATCHDOG=1");
}

std::optional<std::chrono::microseconds> WatchdogInterval() {
  uint64_t usec = 0;
  int r = sd_watchdog_enabled(0, &usec);
  if (r < 0) {
    LogWarning(std::string("systemd watchdog settings (WATCHDOG_USEC, WATCHDOG_PID) unreadable: ") +
               std::strerror(-r) + "; not sending watchdog pings");
    return std::nullopt;
  }
  if (r == 0 || usec == 0)
    return std::nullopt;
  return std::chrono::microseconds(usec);
}

}  // namespace hbd::daemon
