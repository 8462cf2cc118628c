// SystemdReporter: the daemon's side of its service unit, on the io_context. Start() says
// READY=1 with the first status line; from then on a timer pings the watchdog at half the
// interval systemd set (WatchdogSec=), so a loop that hangs stops the pings and systemd restarts
// hbd, and another timer sends the status line again whenever it has changed (checked once per
// `status_period`, so a flapping link cannot flood the manager). Does nothing when systemd does
// not listen (NOTIFY_SOCKET unset). Destroying it stops both timers. Single-threaded (the
// io_context).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "util/asio.h"
#include "util/time.h"

namespace hbd::daemon {

class SystemdReporter {
 public:
  using StatusLine = std::function<std::string()>;

  SystemdReporter(boost::asio::io_context& io, StatusLine status_line,
                  Duration status_period = std::chrono::seconds(1));
  ~SystemdReporter();

  // Sends READY=1 and the status line, then starts the watchdog and status timers.
  void Start();
  // Sends the status line now if it changed since the last one sent (e.g. when stopping begins).
  void UpdateStatus();
  // Half the systemd watchdog interval, or nullopt when there is no watchdog.
  std::optional<Duration> watchdog_period() const { return watchdog_period_; }

 private:
  void PingWatchdog();
  void PollStatus();

  StatusLine status_line_;
  Duration status_period_;
  std::optional<Duration> watchdog_period_;
  std::string last_status_;
  bool started_ = false;
  boost::asio::steady_timer watchdog_timer_;
  boost::asio::steady_timer status_timer_;
};

}  // namespace hbd::daemon
