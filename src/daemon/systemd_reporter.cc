#include "daemon/systemd_reporter.h"

#include <algorithm>

#include "daemon/systemd_notify.h"
#include "util/log.h"

namespace hbd::daemon {

SystemdReporter::SystemdReporter(boost::asio::io_context& io, StatusLine status_line,
                                 Duration status_period)
    : status_line_(std::move(status_line)),
      status_period_(status_period),
      watchdog_timer_(io),
      status_timer_(io) {}

SystemdReporter::~SystemdReporter() = default;

void SystemdReporter::Start() {
  if (started_ || !SystemdListening())
    return;
  started_ = true;
  last_status_ = status_line_();
  NotifyStatus(last_status_);
  NotifyReady();
  if (auto interval = WatchdogInterval()) {
    // At least a millisecond: a nonsensical WATCHDOG_USEC=1 must not spin the loop.
    watchdog_period_ = std::max<Duration>(std::chrono::duration_cast<Duration>(*interval) / 2,
                                          std::chrono::milliseconds(1));
    LogInfo("systemd watchdog: " + std::to_string(interval->count() / 1000) +
            " ms; pinging every " +
            std::to_string(std::chrono::duration_cast<Millis>(*watchdog_period_).count()) + " ms");
    PingWatchdog();
  }
  PollStatus();
}

void SystemdReporter::UpdateStatus() {
  if (!started_)
    return;
  std::string line = status_line_();
  if (line == last_status_)
    return;
  last_status_ = line;
  NotifyStatus(line);
}

void SystemdReporter::PingWatchdog() {
  NotifyWatchdog();
  watchdog_timer_.expires_after(*watchdog_period_);
  watchdog_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec)
      PingWatchdog();
  });
}

void SystemdReporter::PollStatus() {
  status_timer_.expires_after(status_period_);
  status_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec)
      return;
    UpdateStatus();
    PollStatus();
  });
}

}  // namespace hbd::daemon
