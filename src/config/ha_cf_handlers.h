// Internal to the ha.cf parser: the handlers of the directives hbd implements, one per directive,
// each checking its values and storing them in the model. `values` is what follows the directive
// (one token for per-token directives). Not thread-safe (works on one parse's Context).
#pragma once

#include <string>
#include <vector>

#include "config/ha_cf_context.h"

namespace hbd::config::ha_cf {

using Values = std::vector<std::string>;

// ha_cf_settings.cc: members, timings, failback, logging, process settings.
void ApplyNode(Context& ctx, const Values& values);
void ApplyKeepalive(Context& ctx, const Values& values);
void ApplyDeadtime(Context& ctx, const Values& values);
void ApplyWarntime(Context& ctx, const Values& values);
void ApplyInitdead(Context& ctx, const Values& values);
void ApplyDeadping(Context& ctx, const Values& values);
void ApplyUdpport(Context& ctx, const Values& values);
void ApplyAutoFailback(Context& ctx, const Values& values);
void ApplyNiceFailback(Context& ctx, const Values& values);
void ApplyLogfacility(Context& ctx, const Values& values);
void ApplyLogfile(Context& ctx, const Values& values);
void ApplyDebugfile(Context& ctx, const Values& values);
void ApplyUseLogd(Context& ctx, const Values& values);
void ApplyDebug(Context& ctx, const Values& values);
void ApplyLogBadpack(Context& ctx, const Values& values);
void ApplyCoredumps(Context& ctx, const Values& values);
void ApplyCoreroot(Context& ctx, const Values& values);
void ApplyRealtime(Context& ctx, const Values& values);
void ApplyRtprio(Context& ctx, const Values& values);
void ApplyWatchdog(Context& ctx, const Values& values);
void ApplyAutojoin(Context& ctx, const Values& values);
void ApplyCluster(Context& ctx, const Values& values);

// ha_cf_policy.cc: hbd's own directives for running resource scripts.
void ApplyStartTimeout(Context& ctx, const Values& values);
void ApplyStopTimeout(Context& ctx, const Values& values);
void ApplyStatusTimeout(Context& ctx, const Values& values);
void ApplyStopRetries(Context& ctx, const Values& values);
void ApplyStopRetryDelay(Context& ctx, const Values& values);
void ApplyStopFailure(Context& ctx, const Values& values);
void ApplyFenceHook(Context& ctx, const Values& values);
void ApplyRebootCommand(Context& ctx, const Values& values);
void ApplyStartFailureBackoff(Context& ctx, const Values& values);
void ApplyMonitorInterval(Context& ctx, const Values& values);
void ApplyMonitorRestarts(Context& ctx, const Values& values);
void ApplyMonitorWindow(Context& ctx, const Values& values);
void ApplyFailbackHolddown(Context& ctx, const Values& values);

// ha_cf_metrics.cc: hbd's own directives for Prometheus metrics.
void ApplyMetricsTextfile(Context& ctx, const Values& values);
void ApplyMetricsListen(Context& ctx, const Values& values);
void ApplyMetricsInterval(Context& ctx, const Values& values);

// ha_cf_clients.cc: programs and API clients, environment, Pacemaker switches.
void ApplyRespawn(Context& ctx, const Values& values);
void ApplyApiauth(Context& ctx, const Values& values);
void ApplyEnv(Context& ctx, const Values& values);
void ApplyCrm(Context& ctx, const Values& values);
void ApplyPacemaker(Context& ctx, const Values& values);

// Shared by handlers: the single value of a single-valued directive, or an error and null.
const std::string* OneValue(Context& ctx, const char* directive, const Values& values);

}  // namespace hbd::config::ha_cf
