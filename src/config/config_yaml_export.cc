// ExportYaml: the ClusterConfig model written as hbd.yaml (see config_yaml.h for the schema).
#include <yaml-cpp/yaml.h>

#include "config/config_text.h"
#include "config/config_yaml.h"

namespace hbd::config {
namespace {

// Words a YAML 1.1 reader takes for a boolean or null; hbd reads them as text, other tools may
// not, so strings that spell them are always quoted ("off", "no", a node named "on").
bool LooksLikeKeyword(const std::string& text) {
  static const char* const kWords[] = {"y",   "n",    "yes",   "no",   "on",
                                       "off", "true", "false", "null", "~"};
  std::string lower = ToLower(text);
  for (const char* word : kWords) {
    if (lower == word)
      return true;
  }
  return text.empty();
}

// YAML text is Unicode; a value whose bytes are not UTF-8 (a Latin-1 path, an old authkeys
// secret) is written as base64 `!!binary`, which the reader turns back into the same bytes.
bool IsUtf8(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t extra;
    if (c < 0x80)
      extra = 0;
    else if ((c >> 5) == 0x6)
      extra = 1;
    else if ((c >> 4) == 0xe)
      extra = 2;
    else if ((c >> 3) == 0x1e)
      extra = 3;
    else
      return false;
    if (text.size() - i <= extra)
      return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2)
        return false;
    }
    i += extra + 1;
  }
  return true;
}

void Bytes(YAML::Emitter& out, const std::string& text) {
  out << YAML::Binary(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

void Str(YAML::Emitter& out, const std::string& text) {
  if (!IsUtf8(text))
    return Bytes(out, text);
  if (LooksLikeKeyword(text))
    out << YAML::DoubleQuoted;
  out << text;
}

// Secrets are always quoted, so that no secret is ever read as a number or a keyword.
void Secret(YAML::Emitter& out, const std::string& text) {
  if (!IsUtf8(text))
    return Bytes(out, text);
  out << YAML::DoubleQuoted << text;
}

void Key(YAML::Emitter& out, const char* key) {
  out << YAML::Key << key << YAML::Value;
}

void StrList(YAML::Emitter& out, const std::vector<std::string>& items) {
  out << YAML::Flow << YAML::BeginSeq;
  for (const auto& item : items)
    Str(out, item);
  out << YAML::EndSeq;
}

void Time(YAML::Emitter& out, const char* key, Millis value) {
  Key(out, key);
  out << FormatMillis(value);
}

void WriteCluster(YAML::Emitter& out, const ClusterConfig& config) {
  Key(out, "cluster");
  out << YAML::BeginMap;
  Key(out, "name");
  Str(out, config.cluster_name);
  Key(out, "nodes");
  StrList(out, config.nodes);
  if (config.auto_failback_set || config.auto_failback != AutoFailback::kLegacy) {
    Key(out, "auto_failback");
    Str(out, ToString(config.auto_failback));
  }
  if (config.autojoin != Autojoin::kNone) {
    Key(out, "autojoin");
    Str(out, ToString(config.autojoin));
  }
  out << YAML::EndMap;
}

void WriteTiming(YAML::Emitter& out, const Timings& t) {
  Key(out, "timing");
  out << YAML::BeginMap;
  Time(out, "keepalive", t.keepalive);
  Time(out, "deadtime", t.deadtime);
  if (t.warntime)
    Time(out, "warntime", *t.warntime);
  if (t.initdead)
    Time(out, "initdead", *t.initdead);
  if (t.deadping)
    Time(out, "deadping", *t.deadping);
  out << YAML::EndMap;
}

void WriteMedia(YAML::Emitter& out, const std::vector<Medium>& media) {
  if (media.empty())
    return;
  Key(out, "media");
  out << YAML::BeginSeq;
  for (const auto& m : media) {
    bool mcast = m.type == MediumType::kMcast || m.type == MediumType::kMcast6;
    bool ucast = m.type == MediumType::kUcast || m.type == MediumType::kUcast6;
    out << YAML::Flow << YAML::BeginMap;
    Key(out, "type");
    out << ToString(m.type);
    Key(out, "interface");
    Str(out, m.interface);
    if (mcast || ucast) {
      Key(out, mcast ? "group" : "peer");
      Str(out, m.address);
    }
    Key(out, "port");
    out << static_cast<int>(m.port);
    if (mcast || m.ttl != 1) {
      Key(out, "ttl");
      out << m.ttl;
    }
    if (mcast || m.loop) {
      Key(out, "loop");
      out << m.loop;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void WritePing(YAML::Emitter& out, const std::vector<PingTarget>& targets) {
  if (targets.empty())
    return;
  Key(out, "ping");
  out << YAML::BeginSeq;
  for (const auto& p : targets) {
    out << YAML::Flow << YAML::BeginMap;
    Key(out, p.is_group ? "group" : "address");
    Str(out, p.name);
    // A single ping node pings its own address; anything else is written out.
    if (p.is_group || p.addresses != std::vector<std::string>{p.name}) {
      Key(out, "addresses");
      StrList(out, p.addresses);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void WriteLogging(YAML::Emitter& out, const Logging& l) {
  if (l == Logging{})
    return;
  Key(out, "logging");
  out << YAML::BeginMap;
  if (l.facility) {
    Key(out, "facility");
    Str(out, *l.facility);
  }
  if (!l.logfile.empty()) {
    Key(out, "logfile");
    Str(out, l.logfile);
  }
  if (!l.debugfile.empty()) {
    Key(out, "debugfile");
    Str(out, l.debugfile);
  }
  if (l.use_logd) {
    Key(out, "use_logd");
    out << *l.use_logd;
  }
  if (l.debug != 0) {
    Key(out, "debug");
    out << l.debug;
  }
  if (!l.log_badpack) {
    Key(out, "log_badpack");
    out << l.log_badpack;
  }
  out << YAML::EndMap;
}

void WriteProcess(YAML::Emitter& out, const ProcessSettings& p) {
  if (p == ProcessSettings{})
    return;
  Key(out, "process");
  out << YAML::BeginMap;
  if (!p.realtime) {
    Key(out, "realtime");
    out << p.realtime;
  }
  if (p.rtprio) {
    Key(out, "rtprio");
    out << *p.rtprio;
  }
  if (!p.coredumps) {
    Key(out, "coredumps");
    out << p.coredumps;
  }
  if (!p.coreroot.empty()) {
    Key(out, "coreroot");
    Str(out, p.coreroot);
  }
  if (!p.watchdog_device.empty()) {
    Key(out, "watchdog");
    Str(out, p.watchdog_device);
  }
  out << YAML::EndMap;
}

void WriteMetrics(YAML::Emitter& out, const MetricsSettings& m) {
  const MetricsSettings d;
  if (m == d)
    return;
  Key(out, "metrics");
  out << YAML::BeginMap;
  if (!m.textfile.empty()) {
    Key(out, "textfile");
    Str(out, m.textfile);
  }
  if (!m.listen.empty()) {
    Key(out, "listen");
    Str(out, m.listen);
  }
  if (m.interval != d.interval) {
    Key(out, "interval");
    out << FormatMillis(m.interval);
  }
  out << YAML::EndMap;
}

void WritePolicy(YAML::Emitter& out, const ResourcePolicy& p) {
  const ResourcePolicy d;
  if (p == d)
    return;
  Key(out, "policy");
  out << YAML::BeginMap;
  auto time = [&](const char* key, Millis value, Millis fallback) {
    if (value == fallback)
      return;
    Key(out, key);
    out << FormatMillis(value);
  };
  time("start_timeout", p.start_timeout, d.start_timeout);
  time("stop_timeout", p.stop_timeout, d.stop_timeout);
  time("status_timeout", p.status_timeout, d.status_timeout);
  if (p.stop_retries != d.stop_retries) {
    Key(out, "stop_retries");
    out << p.stop_retries;
  }
  time("stop_retry_delay", p.stop_retry_delay, d.stop_retry_delay);
  if (p.stop_failure != d.stop_failure) {
    Key(out, "stop_failure");
    out << ToString(p.stop_failure);
  }
  if (!p.fence_hook.empty()) {
    Key(out, "fence_hook");
    Str(out, p.fence_hook);
  }
  if (p.reboot_command != d.reboot_command) {
    Key(out, "reboot_command");
    Str(out, p.reboot_command);
  }
  time("start_failure_backoff", p.start_failure_backoff, d.start_failure_backoff);
  time("monitor_interval", p.monitor_interval, d.monitor_interval);
  if (p.monitor_restarts != d.monitor_restarts) {
    Key(out, "monitor_restarts");
    out << p.monitor_restarts;
  }
  time("monitor_window", p.monitor_window, d.monitor_window);
  if (p.failback_holddown) {
    Key(out, "failback_holddown");
    out << FormatMillis(*p.failback_holddown);
  }
  out << YAML::EndMap;
}

void WriteBuiltins(YAML::Emitter& out, const BuiltinHelpers& b) {
  if (b == BuiltinHelpers{})
    return;
  Key(out, "builtins");
  out << YAML::Flow << YAML::BeginMap;
  Key(out, "ipfail");
  out << b.ipfail;
  Key(out, "dopd");
  out << b.dopd;
  out << YAML::EndMap;
}

void WriteRespawn(YAML::Emitter& out, const std::vector<RespawnClient>& clients) {
  if (clients.empty())
    return;
  Key(out, "respawn");
  out << YAML::BeginSeq;
  for (const auto& r : clients) {
    out << YAML::Flow << YAML::BeginMap;
    Key(out, "user");
    Str(out, r.user);
    Key(out, "path");
    Str(out, r.path);
    if (!r.args.empty()) {
      Key(out, "args");
      StrList(out, r.args);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void WriteApiAuth(YAML::Emitter& out, const std::vector<ApiAuth>& entries) {
  if (entries.empty())
    return;
  Key(out, "apiauth");
  out << YAML::BeginSeq;
  for (const auto& a : entries) {
    out << YAML::Flow << YAML::BeginMap;
    Key(out, "client");
    Str(out, a.client);
    if (!a.uids.empty()) {
      Key(out, "uid");
      StrList(out, a.uids);
    }
    if (!a.gids.empty()) {
      Key(out, "gid");
      StrList(out, a.gids);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void WriteEnv(YAML::Emitter& out, const std::map<std::string, std::string>& env) {
  if (env.empty())
    return;
  Key(out, "env");
  out << YAML::BeginMap;
  for (const auto& [name, value] : env) {
    out << YAML::Key;
    Str(out, name);
    out << YAML::Value;
    Str(out, value);
  }
  out << YAML::EndMap;
}

void WriteResources(YAML::Emitter& out, const std::vector<ResourceGroup>& groups) {
  if (groups.empty())
    return;
  Key(out, "resources");
  out << YAML::BeginSeq;
  for (const auto& g : groups) {
    out << YAML::BeginMap;
    Key(out, "node");
    Str(out, g.preferred_node);
    Key(out, "group");
    out << YAML::Flow << YAML::BeginSeq;
    for (const auto& r : g.resources)
      Str(out, r.Spec());
    out << YAML::EndSeq;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void WriteAuth(YAML::Emitter& out, const AuthConfig& auth) {
  if (auth == AuthConfig{})
    return;
  Key(out, "auth");
  out << YAML::BeginMap;
  if (auth.sign_index >= 0) {
    Key(out, "sign");
    out << auth.sign_index;
  }
  if (!auth.keys.empty()) {
    Key(out, "keys");
    out << YAML::BeginSeq;
    for (const auto& k : auth.keys) {
      out << YAML::Flow << YAML::BeginMap;
      Key(out, "index");
      out << k.index;
      Key(out, "method");
      out << ToString(k.method);
      if (k.method != AuthMethod::kCrc || !k.secret.empty()) {
        Key(out, "secret");
        Secret(out, k.secret);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

}  // namespace

std::string ExportYaml(const ClusterConfig& config) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::Comment("hbd cluster configuration (see conf/hbd.yaml for every key)");
  out << YAML::BeginMap;
  WriteCluster(out, config);
  WriteTiming(out, config.timings);
  Key(out, "udpport");
  out << static_cast<int>(config.udpport);
  WriteMedia(out, config.media);
  WritePing(out, config.ping_targets);
  WriteLogging(out, config.logging);
  WriteProcess(out, config.process);
  WriteBuiltins(out, config.builtins);
  WriteRespawn(out, config.respawn);
  WriteApiAuth(out, config.apiauth);
  WriteEnv(out, config.env);
  WriteResources(out, config.groups);
  WritePolicy(out, config.policy);
  WriteMetrics(out, config.metrics);
  WriteAuth(out, config.auth);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace hbd::config
