// Handlers for ha.cf's member, timing, failback, logging and process directives.
#include <algorithm>
#include <array>

#include "config/config_text.h"
#include "config/ha_cf_handlers.h"

namespace hbd::config::ha_cf {
namespace {

const char* const kTimeSyntax =
    "write seconds (10, 1.5), milliseconds (500ms) or microseconds (500us)";

// A time value. Heartbeat allows whitespace before the unit, so `keepalive 500 ms` (two tokens
// after splitting) is read as one value.
std::optional<Millis> TimeValue(Context& ctx, const char* directive, const Values& values) {
  std::string text;
  if (values.size() == 2 && !ParseTimeValue(values[1]) && ParseTimeValue("0" + values[1])) {
    text = values[0] + " " + values[1];
  } else {
    const std::string* one = OneValue(ctx, directive, values);
    if (one == nullptr)
      return std::nullopt;
    text = *one;
  }
  auto value = ParseTimeValue(text);
  if (!value) {
    ctx.Error(std::string(directive) + ": '" + text + "' is not a time value; " + kTimeSyntax);
  }
  return value;
}

void SetOptionalTime(Context& ctx, const char* directive, const Values& values,
                     std::optional<Millis>& target, SourceLocation& at, bool positive) {
  auto value = TimeValue(ctx, directive, values);
  if (!value)
    return;
  if (positive && value->count() <= 0) {
    ctx.Error(std::string(directive) + " must be greater than 0 (got '" + JoinTokens(values) +
              "')");
    return;
  }
  target = *value;
  at = ctx.Here();
}

bool BoolValue(Context& ctx, const char* directive, const Values& values, bool& target) {
  const std::string* one = OneValue(ctx, directive, values);
  if (one == nullptr)
    return false;
  auto value = ParseBool(*one);
  if (!value) {
    ctx.Error(std::string(directive) + ": '" + *one +
              "' is not a boolean; write on/off, yes/no, true/false, y/n or 1/0");
    return false;
  }
  target = *value;
  return true;
}

// Paths are stored as written; a relative one is almost certainly a mistake in a daemon's file.
const std::string* PathValue(Context& ctx, const char* directive, const Values& values) {
  const std::string* one = OneValue(ctx, directive, values);
  if (one != nullptr && one->front() != '/') {
    ctx.Warning(std::string(directive) + ": '" + *one + "' is not an absolute path");
  }
  return one;
}

bool IsSyslogFacility(const std::string& name) {
  static const std::array<const char*, 20> kFacilities = {
      "kern",   "user",   "mail",   "daemon",   "auth",   "syslog", "lpr",
      "news",   "uucp",   "cron",   "authpriv", "ftp",    "local0", "local1",
      "local2", "local3", "local4", "local5",   "local6", "local7"};
  return std::any_of(kFacilities.begin(), kFacilities.end(),
                     [&](const char* f) { return name == f; });
}

}  // namespace

const std::string* OneValue(Context& ctx, const char* directive, const Values& values) {
  if (values.size() == 1)
    return &values[0];
  if (values.empty()) {
    ctx.Error(std::string(directive) + " needs a value");
  } else {
    ctx.Error(std::string(directive) + " takes one value; got " + std::to_string(values.size()) +
              " ('" + JoinTokens(values) + "')");
  }
  return nullptr;
}

void ApplyNode(Context& ctx, const Values& values) {
  ClusterConfig& config = ctx.config();
  std::string name = ToLower(values.at(0));
  auto it = std::find(config.nodes.begin(), config.nodes.end(), name);
  if (it != config.nodes.end()) {
    int first = config.node_at[static_cast<size_t>(it - config.nodes.begin())].line;
    ctx.Warning("node '" + name + "' is listed twice (first on line " + std::to_string(first) +
                "); the repeat is ignored");
    return;
  }
  if (NodeTableFull(ctx, "node '" + name + "'"))
    return;
  config.nodes.push_back(name);
  config.node_at.push_back(ctx.Here());
}

void ApplyKeepalive(Context& ctx, const Values& values) {
  auto value = TimeValue(ctx, "keepalive", values);
  if (!value)
    return;
  if (value->count() <= 0) {
    ctx.Error("keepalive must be greater than 0 (got '" + JoinTokens(values) + "')");
    return;
  }
  ctx.config().timings.keepalive = *value;
  ctx.config().timings.keepalive_at = ctx.Here();
}

void ApplyDeadtime(Context& ctx, const Values& values) {
  auto value = TimeValue(ctx, "deadtime", values);
  if (!value)
    return;
  ctx.config().timings.deadtime = *value;
  ctx.config().timings.deadtime_at = ctx.Here();
}

void ApplyWarntime(Context& ctx, const Values& values) {
  Timings& t = ctx.config().timings;
  SetOptionalTime(ctx, "warntime", values, t.warntime, t.warntime_at, true);
}

void ApplyInitdead(Context& ctx, const Values& values) {
  Timings& t = ctx.config().timings;
  SetOptionalTime(ctx, "initdead", values, t.initdead, t.initdead_at, false);
}

void ApplyDeadping(Context& ctx, const Values& values) {
  Timings& t = ctx.config().timings;
  SetOptionalTime(ctx, "deadping", values, t.deadping, t.deadping_at, false);
}

void ApplyUdpport(Context& ctx, const Values& values) {
  const std::string* one = OneValue(ctx, "udpport", values);
  if (one == nullptr)
    return;
  auto port = ParseInteger(*one, 1, 65535);
  if (!port) {
    ctx.Error("udpport: '" + *one + "' is not a UDP port number (1-65535)");
    return;
  }
  if (ctx.first_udp_medium) {
    ctx.Error("udpport setting must precede media statements: udpport on line " +
              std::to_string(ctx.line()) + " comes after the " + ctx.first_udp_medium->directive +
              " on line " + std::to_string(ctx.first_udp_medium->line) +
              ", which already uses port " + std::to_string(ctx.config().udpport));
  }
  ctx.config().udpport = static_cast<uint16_t>(*port);
}

void ApplyAutoFailback(Context& ctx, const Values& values) {
  const std::string* one = OneValue(ctx, "auto_failback", values);
  if (one == nullptr)
    return;
  AutoFailback mode;
  if (ToLower(*one) == "legacy") {
    mode = AutoFailback::kLegacy;
  } else if (auto b = ParseBool(*one)) {
    mode = *b ? AutoFailback::kOn : AutoFailback::kOff;
  } else {
    ctx.Error("auto_failback: '" + *one + "' must be on, off or legacy");
    return;
  }
  ctx.config().auto_failback = mode;
  ctx.config().auto_failback_set = true;
}

void ApplyNiceFailback(Context& ctx, const Values& values) {
  const std::string* one = OneValue(ctx, "nice_failback", values);
  if (one == nullptr)
    return;
  auto b = ParseBool(*one);
  if (!b) {
    ctx.Error("nice_failback: '" + *one + "' must be on or off");
    return;
  }
  // Heartbeat's mapping: nice_failback on = auto_failback off; off = legacy.
  ctx.Warning(std::string("nice_failback is obsolete; write 'auto_failback ") +
              (*b ? "off" : "legacy") + "' instead (that is what this line means)");
  ctx.config().auto_failback = *b ? AutoFailback::kOff : AutoFailback::kLegacy;
  ctx.config().auto_failback_set = true;
}

void ApplyLogfacility(Context& ctx, const Values& values) {
  const std::string* one = OneValue(ctx, "logfacility", values);
  if (one == nullptr)
    return;
  std::string name = ToLower(*one);
  if (name != "none" && !IsSyslogFacility(name)) {
    ctx.Error("logfacility: '" + *one +
              "' is not a syslog facility (kern, user, mail, daemon, auth, syslog, lpr, news, "
              "uucp, cron, authpriv, ftp, local0-local7) or none");
    return;
  }
  ctx.config().logging.facility = name;
}

void ApplyLogfile(Context& ctx, const Values& values) {
  if (const std::string* path = PathValue(ctx, "logfile", values)) {
    ctx.config().logging.logfile = *path;
  }
}

void ApplyDebugfile(Context& ctx, const Values& values) {
  if (const std::string* path = PathValue(ctx, "debugfile", values)) {
    ctx.config().logging.debugfile = *path;
  }
}

void ApplyUseLogd(Context& ctx, const Values& values) {
  bool value = false;
  if (BoolValue(ctx, "use_logd", values, value))
    ctx.config().logging.use_logd = value;
}

void ApplyDebug(Context& ctx, const Values& values) {
  const std::string* one = OneValue(ctx, "debug", values);
  if (one == nullptr)
    return;
  auto level = ParseInteger(*one, 0, 255);
  if (!level) {
    ctx.Error("debug: '" + *one + "' is not a debug level (0-255)");
    return;
  }
  ctx.config().logging.debug = static_cast<int>(*level);
}

void ApplyLogBadpack(Context& ctx, const Values& values) {
  BoolValue(ctx, "log_badpack", values, ctx.config().logging.log_badpack);
}

void ApplyCoredumps(Context& ctx, const Values& values) {
  BoolValue(ctx, "coredumps", values, ctx.config().process.coredumps);
}

void ApplyCoreroot(Context& ctx, const Values& values) {
  if (const std::string* path = PathValue(ctx, "coreroot", values)) {
    ctx.config().process.coreroot = *path;
  }
}

void ApplyRealtime(Context& ctx, const Values& values) {
  BoolValue(ctx, "realtime", values, ctx.config().process.realtime);
}

void ApplyRtprio(Context& ctx, const Values& values) {
  const std::string* one = OneValue(ctx, "rtprio", values);
  if (one == nullptr)
    return;
  auto prio = ParseInteger(*one, 1, 99);
  if (!prio) {
    ctx.Error("rtprio: '" + *one + "' is not a realtime priority (1-99)");
    return;
  }
  ctx.config().process.rtprio = static_cast<int>(*prio);
}

void ApplyWatchdog(Context& ctx, const Values& values) {
  if (ctx.watchdog_line != 0) {
    ctx.Error("watchdog may be given only once (first on line " +
              std::to_string(ctx.watchdog_line) + ")");
    return;
  }
  const std::string* path = PathValue(ctx, "watchdog", values);
  if (path == nullptr)
    return;
  ctx.watchdog_line = ctx.line();
  ctx.config().process.watchdog_device = *path;
}

void ApplyAutojoin(Context& ctx, const Values& values) {
  const std::string* one = OneValue(ctx, "autojoin", values);
  if (one == nullptr)
    return;
  std::string mode = ToLower(*one);
  if (mode == "none") {
    ctx.config().autojoin = Autojoin::kNone;
  } else if (mode == "other") {
    ctx.config().autojoin = Autojoin::kOther;
  } else if (mode == "any") {
    ctx.config().autojoin = Autojoin::kAny;
  } else {
    ctx.Error("autojoin: '" + *one + "' must be none, other or any");
  }
}

void ApplyCluster(Context& ctx, const Values& values) {
  if (const std::string* name = OneValue(ctx, "cluster", values)) {
    ctx.config().cluster_name = *name;
  }
}

}  // namespace hbd::config::ha_cf
