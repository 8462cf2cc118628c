#include "resources/group_sequencer.h"

#include <algorithm>
#include <utility>

namespace hbd::resources {

namespace {

Step RunAction(size_t resource, Action action) {
  Step step;
  step.kind = Step::kRunAction;
  step.resource = resource;
  step.action = action;
  return step;
}

std::string Quoted(std::string_view detail) {
  return detail.empty() ? std::string() : " (" + std::string(detail) + ")";
}

std::string Resources(size_t count) {
  return std::to_string(count) + (count == 1 ? " resource" : " resources");
}

}  // namespace

const char* ToString(Outcome outcome) {
  switch (outcome) {
    case Outcome::kRunning:
      return "running";
    case Outcome::kStopped:
      return "stopped";
    case Outcome::kStartFailed:
      return "start failed";
    case Outcome::kAborted:
      return "start abandoned";
    case Outcome::kStopFailed:
      return "stop failed";
    case Outcome::kStartFailedAndStopFailed:
      return "start failed and stop failed";
  }
  return "unknown";
}

GroupSequencer::GroupSequencer(std::vector<std::string> names, GroupOp op, SequencerPolicy policy)
    : names_(std::move(names)), op_(op), policy_(policy) {
  policy_.stop_retries = std::max(policy_.stop_retries, 0);
  policy_.stop_retry_delay = std::max(policy_.stop_retry_delay, std::chrono::milliseconds(0));
  if (names_.empty()) {
    Finish(op_ == GroupOp::kStart ? Outcome::kRunning : Outcome::kStopped);
  } else if (op_ == GroupOp::kStart) {
    step_ = RunAction(0, Action::kStart);
  } else {
    step_ = RunAction(names_.size() - 1, Action::kStop);
  }
}

void GroupSequencer::OnActionResult(bool ok, bool running, std::string_view detail) {
  if (step_.kind != Step::kRunAction) {
    return;
  }
  switch (step_.action) {
    case Action::kStart:
      OnStartResult(ok, detail);
      break;
    case Action::kStop:
      OnStopResult(ok, detail);
      break;
    case Action::kStatus:
      OnStatusResult(ok, running, detail);
      break;
  }
}

void GroupSequencer::OnActionNotRun(std::string_view detail) {
  if (step_.kind != Step::kRunAction) {
    return;
  }
  if (step_.action == Action::kStart) {
    OnStartResult(false, detail, false);
  } else {
    OnActionResult(false, false, detail);
  }
}

void GroupSequencer::Resume() {
  if (step_.kind != Step::kWait) {
    return;
  }
  step_ = RunAction(step_.resource, Action::kStop);
}

void GroupSequencer::Abort() {
  // Only start steps are ever issued while a start is under way, and only then.
  if (step_.kind == Step::kRunAction && step_.action == Action::kStart) {
    abort_requested_ = true;
  }
}

void GroupSequencer::OnStartResult(bool ok, std::string_view detail, bool ran) {
  const size_t i = step_.resource;
  if (!ok && !ran) {
    start_failed_ = true;
    result_.failed_resource = i;
    Log("start of " + Name(i) + " could not be run" + Quoted(detail) +
        (i == 0 ? "; nothing was started"
                : "; stopping the " + Resources(i) + " started before it"));
    StopNextToTheLeft();
    return;
  }
  if (!ok) {
    start_failed_ = true;
    result_.failed_resource = i;
    Log("start of " + Name(i) + " failed" + Quoted(detail) +
        (i == 0 ? "; stopping it"
                : "; stopping it and the " + Resources(i) + " started before it"));
    step_ = RunAction(i, Action::kStop);  // it may be half-started
    return;
  }
  if (abort_requested_) {
    Log("start of the group abandoned after " + Name(i) + " started; stopping the " +
        Resources(i + 1) + " started so far");
    step_ = RunAction(i, Action::kStop);
    return;
  }
  if (i + 1 == names_.size()) {
    Finish(Outcome::kRunning);
    return;
  }
  step_ = RunAction(i + 1, Action::kStart);
}

void GroupSequencer::OnStopResult(bool ok, std::string_view detail) {
  const size_t i = step_.resource;
  if (ok) {
    if (stop_failures_ > 0) {
      Log("stop of " + Name(i) + " succeeded on retry " + std::to_string(stop_failures_));
    }
    StopNextToTheLeft();
    return;
  }
  ++stop_failures_;
  const std::string retries = std::to_string(policy_.stop_retries);
  if (stop_failures_ <= policy_.stop_retries) {
    Log("stop of " + Name(i) + " failed" + Quoted(detail) + ", retry " +
        std::to_string(stop_failures_) + " of " + retries + " in " +
        std::to_string(policy_.stop_retry_delay.count()) + " ms");
    step_ = Step{Step::kWait, i, Action::kStop, policy_.stop_retry_delay};
    return;
  }
  Log("stop of " + Name(i) + " failed" + Quoted(detail) + " and all " + retries +
      " retries are used up; asking its status");
  step_ = RunAction(i, Action::kStatus);
}

void GroupSequencer::OnStatusResult(bool ok, bool running, std::string_view detail) {
  const size_t i = step_.resource;
  if (ok && !running) {
    Log(Name(i) + ": stop failed but status says stopped; carrying on (script not LSB-compliant?)");
    StopNextToTheLeft();
    return;
  }
  Log(Name(i) + (ok ? ": stop failed and status says running"
                    : ": stop failed and its status could not be read" + Quoted(detail) +
                          "; taking it as running"));
  if (i > 0) {
    Log("leaving the " + Resources(i) + " to the left of " + Name(i) + " as they are");
  }
  result_.failed_resource = i;
  Finish(start_failed_ ? Outcome::kStartFailedAndStopFailed : Outcome::kStopFailed);
}

void GroupSequencer::StopNextToTheLeft() {
  const size_t i = step_.resource;
  stop_failures_ = 0;
  if (i > 0) {
    step_ = RunAction(i - 1, Action::kStop);
  } else if (op_ == GroupOp::kStop) {
    Finish(Outcome::kStopped);
  } else {
    Finish(start_failed_ ? Outcome::kStartFailed : Outcome::kAborted);
  }
}

void GroupSequencer::Finish(Outcome outcome) {
  result_.outcome = outcome;
  step_ = Step{};
}

}  // namespace hbd::resources
