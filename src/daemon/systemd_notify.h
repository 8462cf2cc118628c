// hbd's messages to systemd (sd_notify(3)): READY=1 once the daemon serves, RELOADING=1 and
// READY=1 around a reload, STOPPING=1 when it starts leaving, STATUS= for `systemctl status`, and
// WATCHDOG=1 pings. Every function does nothing when NOTIFY_SOCKET is unset (not run by systemd).
// The environment is left as it is (unset_environment=0): resource scripts and hooks never see
// it, because every child gets an environment built from scratch (resources/resource_action.h).
// A failed send is logged (at most once a minute), never fatal. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace hbd::daemon {

// NOTIFY_SOCKET is set: systemd (or a test) listens.
bool SystemdListening();

// Sends one notification ("READY=1", "STATUS=...", several lines allowed). Returns "" when sent
// or when nobody listens, else why it could not be sent.
std::string NotifySystemd(const std::string& state);

// READY=1: the configuration is valid and the media and control socket are open; also the end
// of a reload.
void NotifyReady();
// RELOADING=1 (with MONOTONIC_USEC=, which Type=notify-reload requires); NotifyReady() must
// follow when the reload is done, whether it worked or not.
void NotifyReloading();
// STOPPING=1: hbd is releasing its groups and leaving the cluster.
void NotifyStopping();
// STATUS=<line>: one line for `systemctl status`; newlines become spaces.
void NotifyStatus(const std::string& line);
// WATCHDOG=1.
void NotifyWatchdog();

// The watchdog interval systemd expects pings within (WatchdogSec=, passed as WATCHDOG_USEC and
// WATCHDOG_PID), or nullopt when there is no watchdog for this process.
std::optional<std::chrono::microseconds> WatchdogInterval();

}  // namespace hbd::daemon
