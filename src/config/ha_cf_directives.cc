#include "config/ha_cf_directives.h"

#include "config/ha_cf_handlers.h"
#include "config/ha_cf_media.h"

namespace hbd::config::ha_cf {
namespace {

void ApplyBcast(Context& ctx, const Values& values) {
  ParseBcast(ctx, "bcast", values.at(0));
}
void ApplyUdp(Context& ctx, const Values& values) {
  ParseBcast(ctx, "udp", values.at(0));
}
void ApplyPing(Context& ctx, const Values& values) {
  AddPingNode(ctx, "ping", values.at(0));
}
void ApplyPing6(Context& ctx, const Values& values) {
  AddPingNode(ctx, "ping6", values.at(0));
}

constexpr DirectiveKind kToken = DirectiveKind::kPerToken;
constexpr DirectiveKind kOne = DirectiveKind::kSingle;
constexpr DirectiveKind kLine = DirectiveKind::kWholeLine;

const char* const kNoSerial = "hbd has no serial medium; use bcast, mcast or ucast";
const char* const kNoStonith =
    "hbd has no STONITH support, so this device will never be used to fence a node";
const char* const kNoCompression = "hbd does not compress messages (cluster messages are small)";
const char* const kPacemakerOnly = "it only configures Pacemaker, and hbd runs haresources";

}  // namespace

const std::vector<Directive>& AllDirectives() {
  static const std::vector<Directive> kDirectives = {
      // Members and timing.
      {"node", kToken, ApplyNode, nullptr},
      {"keepalive", kOne, ApplyKeepalive, nullptr},
      {"deadtime", kOne, ApplyDeadtime, nullptr},
      {"warntime", kOne, ApplyWarntime, nullptr},
      {"initdead", kOne, ApplyInitdead, nullptr},
      {"deadping", kOne, ApplyDeadping, nullptr},
      {"udpport", kOne, ApplyUdpport, nullptr},
      // Media.
      {"bcast", kToken, ApplyBcast, nullptr},
      {"udp", kToken, ApplyUdp, nullptr},
      {"mcast", kLine, ParseMcast, nullptr},
      {"mcast6", kLine, ParseMcast6, nullptr},
      {"ucast", kLine, ParseUcast, nullptr},
      {"ucast6", kLine, ParseUcast6, nullptr},
      {"serial", kToken, nullptr, kNoSerial},
      {"baud", kOne, nullptr, "only serial media use it, and hbd has none"},
      {"hbaping", kToken, nullptr, "hbd has no Fibre Channel HBA ping medium"},
      {"rds", kToken, nullptr, "hbd has no RDS medium; use bcast, mcast or ucast"},
      {"tipc", kToken, nullptr, "hbd has no TIPC medium; use bcast, mcast or ucast"},
      // Ping nodes.
      {"ping", kToken, ApplyPing, nullptr},
      {"ping6", kToken, ApplyPing6, nullptr},
      {"ping_group", kLine, ParsePingGroup, nullptr},
      // Resources and failback.
      {"auto_failback", kOne, ApplyAutoFailback, nullptr},
      {"nice_failback", kOne, ApplyNiceFailback, nullptr},
      {"crm", kOne, ApplyCrm, nullptr},
      {"pacemaker", kOne, ApplyPacemaker, nullptr},
      {"autojoin", kOne, ApplyAutojoin, nullptr},
      {"cluster", kOne, ApplyCluster, nullptr},
      // Logging.
      {"logfacility", kOne, ApplyLogfacility, nullptr},
      {"logfile", kOne, ApplyLogfile, nullptr},
      {"debugfile", kOne, ApplyDebugfile, nullptr},
      {"use_logd", kOne, ApplyUseLogd, nullptr},
      {"debug", kOne, ApplyDebug, nullptr},
      {"log_badpack", kOne, ApplyLogBadpack, nullptr},
      {"conn_logd_time", kOne, nullptr, "hbd does not connect to ha_logd, so there is no retry"},
      {"syslogmsgfmt", kOne, nullptr, "hbd's log file format is fixed"},
      // Process.
      {"realtime", kOne, ApplyRealtime, nullptr},
      {"rtprio", kOne, ApplyRtprio, nullptr},
      {"coredumps", kOne, ApplyCoredumps, nullptr},
      {"coreroot", kOne, ApplyCoreroot, nullptr},
      {"watchdog", kOne, ApplyWatchdog, nullptr},
      {"memreserve", kOne, nullptr, "hbd sizes and locks its own memory"},
      {"use_apphbd", kOne, nullptr, "hbd does not register with apphbd"},
      // Programs and clients.
      {"respawn", kLine, ApplyRespawn, nullptr},
      {"apiauth", kLine, ApplyApiauth, nullptr},
      {"env", kLine, ApplyEnv, nullptr},
      {"failfast", kLine, nullptr,
       "hbd does not run failfast programs: it is not started and its exit will not reboot this "
       "node"},
      {"stonith", kLine, nullptr, kNoStonith},
      {"stonith_host", kLine, nullptr, kNoStonith},
      // Wire protocol details hbd settles itself.
      {"msgfmt", kOne, nullptr, "hbd reads both wire formats and chooses what it sends"},
      {"compression", kOne, nullptr, kNoCompression},
      {"compression_threshold", kOne, nullptr, kNoCompression},
      {"traditional_compression", kOne, nullptr, kNoCompression},
      {"hopfudge", kOne, nullptr, "hbd does not relay messages between nodes"},
      {"max_rexmit_delay", kOne, nullptr, "hbd's retransmission timing is fixed"},
      {"hbgenmethod", kOne, nullptr, "hbd keeps its generation number its own way"},
      {"uuidfrom", kOne, nullptr, "hbd derives node identities its own way"},
      {"quorum_server", kOne, nullptr, "the quorum server is a Pacemaker-era feature"},
      // hbd only: how resource scripts are run (Heartbeat refuses these lines).
      {"start_timeout", kOne, ApplyStartTimeout, nullptr},
      {"stop_timeout", kOne, ApplyStopTimeout, nullptr},
      {"status_timeout", kOne, ApplyStatusTimeout, nullptr},
      {"stop_retries", kOne, ApplyStopRetries, nullptr},
      {"stop_retry_delay", kOne, ApplyStopRetryDelay, nullptr},
      {"stop_failure", kOne, ApplyStopFailure, nullptr},
      {"fence_hook", kLine, ApplyFenceHook, nullptr},
      {"reboot_command", kLine, ApplyRebootCommand, nullptr},
      {"start_failure_backoff", kOne, ApplyStartFailureBackoff, nullptr},
      {"monitor_interval", kOne, ApplyMonitorInterval, nullptr},
      {"monitor_restarts", kOne, ApplyMonitorRestarts, nullptr},
      {"monitor_window", kOne, ApplyMonitorWindow, nullptr},
      {"failback_holddown", kOne, ApplyFailbackHolddown, nullptr},
      // hbd only: Prometheus metrics (ha_cf_metrics.cc).
      {"metrics_textfile", kOne, ApplyMetricsTextfile, nullptr},
      {"metrics_listen", kOne, ApplyMetricsListen, nullptr},
      {"metrics_interval", kOne, ApplyMetricsInterval, nullptr},
      // Pacemaker only.
      {"crm_daemon_dir", kOne, nullptr, kPacemakerOnly},
      {"crmd_spawns_pengine", kOne, nullptr, kPacemakerOnly},
      {"record_config_changes", kOne, nullptr, kPacemakerOnly},
      {"record_pengine_inputs", kOne, nullptr, kPacemakerOnly},
      {"enable_config_writes", kOne, nullptr, kPacemakerOnly},
  };
  return kDirectives;
}

const Directive* FindDirective(std::string_view name) {
  for (const Directive& d : AllDirectives()) {
    if (name == d.name)
      return &d;
  }
  return nullptr;
}

}  // namespace hbd::config::ha_cf
