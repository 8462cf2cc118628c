// `realtime on` (Heartbeat's default, turned off by `hbd -l`): run hbd under SCHED_RR and keep its
// memory locked, so a loaded or swapping machine does not delay keepalives or the takeover.
// Owns the process-wide calls (sched_setscheduler, setrlimit, mlockall) and the choice of the
// priority; resource scripts are reset to normal scheduling in resources/child_process.cc.
//
// Memory is locked with MCL_ONFAULT: a page is locked once hbd touches it, so the keepalive,
// liveness and takeover paths (all exercised within the first seconds: the start-up probe runs a
// script) stay resident, while library code hbd never runs is not pulled in (Heartbeat's plain
// MCL_CURRENT makes every mapped library page resident, ~3x the memory). Call once at start-up,
// from the main thread, before the event loop; not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hbd::daemon {

// The SCHED_RR priority for `rtprio` within [min, max]: unset or <= 0 gives the minimum (as
// Heartbeat's code does), above max is clamped.
int ChooseRealtimePriority(std::optional<int> rtprio, int min, int max);

struct RealtimeOutcome {
  bool scheduled = false;  // SCHED_RR is in force
  int priority = 0;
  bool locked = false;             // memory is locked
  std::vector<std::string> notes;  // one line per step, for the log (failures say why)
};

RealtimeOutcome MakeRealtime(std::optional<int> rtprio);

}  // namespace hbd::daemon
