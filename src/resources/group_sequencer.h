// The order of one resource group's start or stop, as a pure state machine: which script action
// to run next on which resource, and what each answer means. Heartbeat's ResourceManager rules:
// start left to right; a failed start stops the whole group right to left; stop right to left; a
// failed stop is retried, and once the retries are used up `status` decides between "carry on"
// (stopped after all: a script that is not LSB-compliant) and "escalate" (still running).
// It runs no script, arms no timer and reads no clock: the caller runs each kRunAction step, waits
// out each kWait step and feeds the answers back. Not thread-safe; one sequencer per operation.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resources/resource_action.h"

namespace hbd::resources {

enum class GroupOp { kStart, kStop };

struct SequencerPolicy {
  // Heartbeat's HA_STOPRETRYMAX: retries after the first failed stop. Heartbeat's "<= 0 means
  // forever" is not kept: negative counts as 0, so every operation ends.
  int stop_retries = 10;
  std::chrono::milliseconds stop_retry_delay{1000};  // negative counts as 0
};

// What the caller must do next.
struct Step {
  enum Kind { kRunAction, kWait, kDone };
  Kind kind = kDone;
  size_t resource = 0;                 // index in the group (kRunAction, kWait)
  Action action = Action::kStart;      // kRunAction
  std::chrono::milliseconds delay{0};  // kWait: call Resume() once it has passed
};

enum class Outcome {
  kRunning,      // start: every resource started
  kStopped,      // stop: every resource stopped (or its status says not running)
  kStartFailed,  // a start failed; the failed resource and all started before it are stopped
  kAborted,      // Abort() and no start failed; every resource started is stopped again
  // A resource would not stop and its status says running (or could not be read): escalate
  // (Heartbeat reboots). Resources to its left are not stopped: they are usually what it stands
  // on. kStartFailedAndStopFailed: the same, while stopping after a failed start.
  kStopFailed,
  kStartFailedAndStopFailed,
};

const char* ToString(Outcome outcome);

struct GroupResult {
  Outcome outcome = Outcome::kRunning;
  // kStartFailed: the resource whose start failed. kStopFailed, kStartFailedAndStopFailed: the
  // resource that would not stop (the start failure is in the log).
  std::optional<size_t> failed_resource;
  std::vector<std::string> log;  // one line per notable event, in the operator's words
};

class GroupSequencer {
 public:
  // `names` are the group's resources left to right as the operator wrote them
  // (e.g. "IPaddr::192.0.2.10"); they only appear in log lines.
  GroupSequencer(std::vector<std::string> names, GroupOp op, SequencerPolicy policy = {});

  Step Next() const { return step_; }

  // The answer to the current kRunAction step: start/stop: `ok` = succeeded. status: `ok` = the
  // status could be read, `running` = what it says. `detail` (e.g. "exit 1", "timed out") is
  // quoted in log lines. Ignored unless the current step is kRunAction.
  void OnActionResult(bool ok, bool running = false, std::string_view detail = {});
  // The current kRunAction step's script never ran (it could not be started: no descriptors,
  // fork or exec failed, no script). A start that never ran touched nothing, so that resource
  // is not stopped, only those started before it; a stop or status that never ran counts as a
  // failed one. Ignored unless the current step is kRunAction.
  void OnActionNotRun(std::string_view detail);
  // The current kWait step has passed. Ignored unless the current step is kWait.
  void Resume();
  // Start only: abandon the start (e.g. shutdown). The start in flight still reports its result;
  // then no further start is issued and everything started so far, the one in flight included,
  // is stopped right to left. Ignored once the start is over or stopping has begun.
  void Abort();

  bool Done() const { return step_.kind == Step::kDone; }
  // Complete once Done(); before that, the outcome is not meaningful yet.
  const GroupResult& Result() const { return result_; }

 private:
  void OnStartResult(bool ok, std::string_view detail, bool ran = true);
  void OnStopResult(bool ok, std::string_view detail);
  void OnStatusResult(bool ok, bool running, std::string_view detail);
  void StopNextToTheLeft();
  void Finish(Outcome outcome);
  void Log(std::string line) { result_.log.push_back(std::move(line)); }
  const std::string& Name(size_t index) const { return names_[index]; }

  std::vector<std::string> names_;
  GroupOp op_;
  SequencerPolicy policy_;
  Step step_;
  int stop_failures_ = 0;  // of the resource being stopped
  bool start_failed_ = false;
  bool abort_requested_ = false;
  GroupResult result_;
};

}  // namespace hbd::resources
