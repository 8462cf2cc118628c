// Handlers for hbd's own ha.cf directives: how resource scripts are run (timeouts, stop retries
// and escalation, start back-off, monitoring, the failback hold-down). Heartbeat does not know
// them.
#include "config/config_text.h"
#include "config/ha_cf_handlers.h"

namespace hbd::config::ha_cf {
namespace {

void SetTime(Context& ctx, const char* directive, const Values& values, Millis& target,
             bool allow_zero) {
  const std::string* one = OneValue(ctx, directive, values);
  if (one == nullptr)
    return;
  auto value = ParseTimeValue(*one);
  if (!value || (!allow_zero && value->count() <= 0)) {
    ctx.Error(std::string(directive) + ": '" + *one + "' is not a " +
              (allow_zero ? "" : "positive ") + "time value (e.g. 30, 500ms)");
    return;
  }
  target = *value;
}

void SetCount(Context& ctx, const char* directive, const Values& values, int& target, int max) {
  const std::string* one = OneValue(ctx, directive, values);
  if (one == nullptr)
    return;
  auto value = ParseInteger(*one, 0, max);
  if (!value) {
    ctx.Error(std::string(directive) + ": '" + *one + "' is not a number from 0 to " +
              std::to_string(max));
    return;
  }
  target = static_cast<int>(*value);
}

}  // namespace

void ApplyStartTimeout(Context& ctx, const Values& v) {
  SetTime(ctx, "start_timeout", v, ctx.config().policy.start_timeout, false);
}
void ApplyStopTimeout(Context& ctx, const Values& v) {
  SetTime(ctx, "stop_timeout", v, ctx.config().policy.stop_timeout, false);
}
void ApplyStatusTimeout(Context& ctx, const Values& v) {
  SetTime(ctx, "status_timeout", v, ctx.config().policy.status_timeout, false);
}
void ApplyStopRetries(Context& ctx, const Values& v) {
  SetCount(ctx, "stop_retries", v, ctx.config().policy.stop_retries, 1000);
}
void ApplyStopRetryDelay(Context& ctx, const Values& v) {
  SetTime(ctx, "stop_retry_delay", v, ctx.config().policy.stop_retry_delay, true);
}
void ApplyStartFailureBackoff(Context& ctx, const Values& v) {
  SetTime(ctx, "start_failure_backoff", v, ctx.config().policy.start_failure_backoff, false);
}
void ApplyMonitorInterval(Context& ctx, const Values& v) {
  SetTime(ctx, "monitor_interval", v, ctx.config().policy.monitor_interval, true);
}
void ApplyMonitorRestarts(Context& ctx, const Values& v) {
  SetCount(ctx, "monitor_restarts", v, ctx.config().policy.monitor_restarts, 100);
}
void ApplyMonitorWindow(Context& ctx, const Values& v) {
  SetTime(ctx, "monitor_window", v, ctx.config().policy.monitor_window, false);
}

void ApplyFailbackHolddown(Context& ctx, const Values& v) {
  const std::string* one = OneValue(ctx, "failback_holddown", v);
  if (one == nullptr)
    return;
  auto value = ParseTimeValue(*one);
  if (!value) {
    ctx.Error("failback_holddown: '" + *one + "' is not a time value (e.g. 30, 500ms, 0)");
    return;
  }
  ctx.config().policy.failback_holddown = *value;
  ctx.config().policy.failback_holddown_at = ctx.Here();
}

void ApplyStopFailure(Context& ctx, const Values& v) {
  const std::string* one = OneValue(ctx, "stop_failure", v);
  if (one == nullptr)
    return;
  ResourcePolicy& p = ctx.config().policy;
  if (*one == "reboot") {
    p.stop_failure = StopFailure::kReboot;
  } else if (*one == "fence") {
    p.stop_failure = StopFailure::kFence;
  } else if (*one == "none") {
    p.stop_failure = StopFailure::kNone;
  } else {
    ctx.Error("stop_failure: '" + *one + "' is not reboot, fence or none");
    return;
  }
  p.stop_failure_at = ctx.Here();
}

void ApplyFenceHook(Context& ctx, const Values& v) {
  if (v.empty()) {
    ctx.Error("fence_hook needs the path of a program");
    return;
  }
  if (v.front().front() != '/') {
    ctx.Error("fence_hook: '" + v.front() + "' is not an absolute path");
    return;
  }
  ctx.config().policy.fence_hook = JoinTokens(v);
}

void ApplyRebootCommand(Context& ctx, const Values& v) {
  if (v.empty() || v.front().front() != '/') {
    ctx.Error("reboot_command needs an absolute path and its arguments");
    return;
  }
  ctx.config().policy.reboot_command = JoinTokens(v);
}

}  // namespace hbd::config::ha_cf
