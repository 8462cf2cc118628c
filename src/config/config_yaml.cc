// ParseYamlConfig: hbd.yaml read into the ClusterConfig model (see config_yaml.h for the schema).
// This file reads the top level and the ha.cf settings; config_yaml_media.cc and
// config_yaml_resources.cc read the rest. Only the per-value rules of the classic files are
// checked (node names, auth indexes and methods, multicast groups); rules that relate several
// settings belong to the validator.
#include "config/config_yaml.h"

#include <yaml-cpp/yaml.h>

#include <exception>

#include "config/config_text.h"
#include "config/config_yaml_sections.h"
#include "config/yaml_document.h"
#include "config/yaml_reader.h"

namespace hbd::config {
namespace yaml_sections {

bool HasSpace(const std::string& text) {
  return text.find_first_of(" \t\r\n\f\v") != std::string::npos;
}

}  // namespace yaml_sections

namespace {

using yaml_sections::HasSpace;

constexpr size_t kMaxNodeName = 100;  // Heartbeat's HOSTLENG

void ReadNodes(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto items = in.List(node, "nodes", line);
  if (!items)
    return;
  for (const auto& item : *items) {
    int at = in.Line(item, line);
    auto name = in.String(item, "each entry of nodes", at);
    if (!name)
      continue;
    std::string lower = ToLower(*name);
    if (lower.empty() || HasSpace(lower) || lower.size() > kMaxNodeName) {
      in.Error(at, "node name \"" + *name + "\" must be one word of 1 to " +
                       std::to_string(kMaxNodeName) + " characters");
      continue;
    }
    if (config.HasNode(lower)) {
      in.Error(at, "node \"" + lower + "\" is listed twice");
      continue;
    }
    config.nodes.push_back(lower);
    config.node_at.push_back(in.Where(item, line));
  }
}

void ReadCluster(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto map = in.Map(node, "cluster", {"name", "nodes", "auto_failback", "autojoin"}, line);
  if (!map)
    return;
  for (const auto& [key, value] : map->entries) {
    if (key == "name") {
      if (auto v = in.String(value, "cluster name", line)) {
        if (v->empty() || HasSpace(*v)) {
          in.Error(in.Line(value, line), "cluster name must be one word, not \"" + *v + "\"");
        } else {
          config.cluster_name = *v;
        }
      }
    } else if (key == "nodes") {
      ReadNodes(in, config, value, line);
    } else if (key == "auto_failback") {
      // "on"/"off" arrive as text; true/false and yes/no mean the same.
      auto text = in.String(value, "auto_failback", line);
      if (!text)
        continue;
      auto as_bool = ParseBool(*text);
      if (as_bool) {
        config.auto_failback = *as_bool ? AutoFailback::kOn : AutoFailback::kOff;
        config.auto_failback_set = true;
      } else if (auto v = in.Choice(value, "auto_failback", {"on", "off", "legacy"}, line)) {
        config.auto_failback = AutoFailback::kLegacy;
        config.auto_failback_set = true;
      }
    } else if (key == "autojoin") {
      if (auto v = in.Choice(value, "autojoin", {"none", "other", "any"}, line)) {
        config.autojoin = *v == "none"    ? Autojoin::kNone
                          : *v == "other" ? Autojoin::kOther
                                          : Autojoin::kAny;
      }
    }
  }
}

void ReadTiming(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto map =
      in.Map(node, "timing", {"keepalive", "deadtime", "warntime", "initdead", "deadping"}, line);
  if (!map)
    return;
  Timings& t = config.timings;
  for (const auto& [key, value] : map->entries) {
    auto v = in.Time(value, key, line);
    if (!v)
      continue;
    SourceLocation at = in.Where(value, line);
    if (key == "keepalive") {
      t.keepalive = *v;
      t.keepalive_at = at;
    } else if (key == "deadtime") {
      t.deadtime = *v;
      t.deadtime_at = at;
    } else if (key == "warntime") {
      t.warntime = *v;
      t.warntime_at = at;
    } else if (key == "initdead") {
      t.initdead = *v;
      t.initdead_at = at;
    } else if (key == "deadping") {
      t.deadping = *v;
      t.deadping_at = at;
    }
  }
}

void ReadLogging(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto map = in.Map(node, "logging",
                    {"facility", "logfile", "debugfile", "use_logd", "debug", "log_badpack"}, line);
  if (!map)
    return;
  Logging& l = config.logging;
  for (const auto& [key, value] : map->entries) {
    if (key == "facility") {
      if (auto v = in.String(value, key, line))
        l.facility = *v;
    } else if (key == "logfile") {
      if (auto v = in.String(value, key, line))
        l.logfile = *v;
    } else if (key == "debugfile") {
      if (auto v = in.String(value, key, line))
        l.debugfile = *v;
    } else if (key == "use_logd") {
      if (auto v = in.Bool(value, key, line))
        l.use_logd = *v;
    } else if (key == "debug") {
      if (auto v = in.Integer(value, key, 0, 255, line))
        l.debug = static_cast<int>(*v);
    } else if (key == "log_badpack") {
      if (auto v = in.Bool(value, key, line))
        l.log_badpack = *v;
    }
  }
}

void ReadProcess(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto map =
      in.Map(node, "process", {"realtime", "rtprio", "coredumps", "coreroot", "watchdog"}, line);
  if (!map)
    return;
  ProcessSettings& p = config.process;
  for (const auto& [key, value] : map->entries) {
    if (key == "realtime") {
      if (auto v = in.Bool(value, key, line))
        p.realtime = *v;
    } else if (key == "rtprio") {
      if (auto v = in.Integer(value, key, 1, 99, line))
        p.rtprio = static_cast<int>(*v);
    } else if (key == "coredumps") {
      if (auto v = in.Bool(value, key, line))
        p.coredumps = *v;
    } else if (key == "coreroot") {
      if (auto v = in.String(value, key, line))
        p.coreroot = *v;
    } else if (key == "watchdog") {
      if (auto v = in.String(value, key, line))
        p.watchdog_device = *v;
    }
  }
}

void ReadPolicy(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto map =
      in.Map(node, "policy",
             {"start_timeout", "stop_timeout", "status_timeout", "stop_retries", "stop_retry_delay",
              "stop_failure", "fence_hook", "reboot_command", "start_failure_backoff",
              "monitor_interval", "monitor_restarts", "monitor_window", "failback_holddown"},
             line);
  if (!map)
    return;
  ResourcePolicy& p = config.policy;
  for (const auto& entry : map->entries) {
    // Not a structured binding: clang 14 cannot capture those in a lambda.
    const auto& key = entry.first;
    const auto& value = entry.second;
    auto time = [&](Millis& target) {
      if (auto v = in.Time(value, key, line))
        target = *v;
    };
    if (key == "start_timeout") {
      time(p.start_timeout);
    } else if (key == "stop_timeout") {
      time(p.stop_timeout);
    } else if (key == "status_timeout") {
      time(p.status_timeout);
    } else if (key == "stop_retry_delay") {
      time(p.stop_retry_delay);
    } else if (key == "start_failure_backoff") {
      time(p.start_failure_backoff);
    } else if (key == "monitor_interval") {
      time(p.monitor_interval);
    } else if (key == "monitor_window") {
      time(p.monitor_window);
    } else if (key == "failback_holddown") {
      if (auto v = in.Time(value, key, line)) {
        p.failback_holddown = *v;
        p.failback_holddown_at = in.Where(value, line);
      }
    } else if (key == "stop_retries") {
      if (auto v = in.Integer(value, key, 0, 1000, line))
        p.stop_retries = static_cast<int>(*v);
    } else if (key == "monitor_restarts") {
      if (auto v = in.Integer(value, key, 0, 100, line))
        p.monitor_restarts = static_cast<int>(*v);
    } else if (key == "stop_failure") {
      if (auto v = in.Choice(value, key, {"reboot", "fence", "none"}, line)) {
        p.stop_failure = *v == "reboot"  ? StopFailure::kReboot
                         : *v == "fence" ? StopFailure::kFence
                                         : StopFailure::kNone;
        p.stop_failure_at = in.Where(value, line);
      }
    } else if (key == "fence_hook") {
      if (auto v = in.String(value, key, line))
        p.fence_hook = *v;
    } else if (key == "reboot_command") {
      if (auto v = in.String(value, key, line))
        p.reboot_command = *v;
    }
  }
}

void ReadBuiltins(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto map = in.Map(node, "builtins", {"ipfail", "dopd"}, line);
  if (!map)
    return;
  for (const auto& [key, value] : map->entries) {
    auto v = in.Bool(value, key, line);
    if (!v)
      continue;
    (key == "ipfail" ? config.builtins.ipfail : config.builtins.dopd) = *v;
  }
}

void ReadRespawn(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto items = in.List(node, "respawn", line);
  if (!items)
    return;
  for (const auto& item : *items) {
    int at = in.Line(item, line);
    auto map = in.Map(item, "respawn entry", {"user", "path", "args"}, at);
    if (!map)
      continue;
    RespawnClient client;
    client.where = in.Where(item, line);
    const YAML::Node* user = map->Find("user");
    const YAML::Node* path = map->Find("path");
    if (!user || !path) {
      in.Error(at, "respawn entry needs a user and a path");
      continue;
    }
    auto u = in.String(*user, "user", at);
    auto p = in.String(*path, "path", at);
    std::optional<std::vector<std::string>> args = std::vector<std::string>{};
    if (const YAML::Node* a = map->Find("args"))
      args = in.StringList(*a, "args", at);
    if (!u || !p || !args)
      continue;
    client.user = *u;
    client.path = *p;
    client.args = *args;
    config.respawn.push_back(std::move(client));
  }
}

void ReadApiAuth(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto items = in.List(node, "apiauth", line);
  if (!items)
    return;
  for (const auto& item : *items) {
    int at = in.Line(item, line);
    auto map = in.Map(item, "apiauth entry", {"client", "uid", "gid"}, at);
    if (!map)
      continue;
    ApiAuth auth;
    auth.where = in.Where(item, line);
    const YAML::Node* client = map->Find("client");
    if (!client) {
      in.Error(at, "apiauth entry needs a client");
      continue;
    }
    auto name = in.String(*client, "client", at);
    std::optional<std::vector<std::string>> uids = std::vector<std::string>{};
    std::optional<std::vector<std::string>> gids = std::vector<std::string>{};
    if (const YAML::Node* u = map->Find("uid"))
      uids = in.StringList(*u, "uid", at);
    if (const YAML::Node* g = map->Find("gid"))
      gids = in.StringList(*g, "gid", at);
    if (!name || !uids || !gids)
      continue;
    auth.client = *name;
    auth.uids = *uids;
    auth.gids = *gids;
    config.apiauth.push_back(std::move(auth));
  }
}

void ReadEnv(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  if (!node.IsNull() && !node.IsMap()) {
    in.Error(line, "env must be a mapping (NAME: value lines), not " + DescribeNode(node));
    return;
  }
  if (node.IsNull())
    return;
  for (const auto& entry : node) {
    int at = in.Line(entry.first, line);
    auto name = in.String(entry.first, "an env name", at);
    if (!name)
      continue;
    if (name->empty() || HasSpace(*name) || name->find('=') != std::string::npos) {
      in.Error(at, "env name \"" + *name + "\" must be one word without '='");
      continue;
    }
    std::optional<std::string> value = std::string();
    if (!entry.second.IsNull())
      value = in.String(entry.second, "env " + *name, at);
    if (!value)
      continue;
    if (!config.env.emplace(*name, *value).second) {
      in.Error(at, "env " + *name + " is set twice");
    }
  }
}

void ReadMetrics(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto map = in.Map(node, "metrics", {"textfile", "listen", "interval"}, line);
  if (!map)
    return;
  MetricsSettings& m = config.metrics;
  for (const auto& [key, value] : map->entries) {
    if (key == "interval") {
      if (auto v = in.Time(value, key, line))
        m.interval = *v;
      continue;
    }
    auto v = in.String(value, key, line);
    if (!v)
      continue;
    std::string address;
    uint16_t port = 0;
    if (key == "textfile" && (v->empty() || v->front() != '/')) {
      in.Error(in.Line(value, line), "metrics textfile: '" + *v + "' is not an absolute path");
    } else if (key == "listen" && !ParseListenAddress(*v, address, port)) {
      in.Error(in.Line(value, line),
               "metrics listen: '" + *v + "' is not PORT, ADDRESS:PORT or [IPV6]:PORT");
    } else {
      (key == "textfile" ? m.textfile : m.listen) = *v;
    }
  }
}

void ParseTopLevel(YamlReader& in, ClusterConfig& config, const YAML::Node& root) {
  static const std::vector<std::string> kKeys = {
      "cluster", "timing",  "udpport", "media",     "ping",   "logging", "process", "builtins",
      "respawn", "apiauth", "env",     "resources", "policy", "auth",    "metrics"};
  auto top = in.Map(root, "hbd.yaml (the top level)", kKeys, 1);
  if (!top)
    return;
  // udpport first: it is the default port of every media entry, wherever it stands in the file.
  if (const auto* port = top->Find("udpport")) {
    if (auto v = in.Integer(*port, "udpport", 1, 65535, top->line)) {
      config.udpport = static_cast<uint16_t>(*v);
    }
  }
  for (const auto& [key, value] : top->entries) {
    int line = in.Line(value, top->line);
    if (key == "cluster")
      ReadCluster(in, config, value, line);
    else if (key == "timing")
      ReadTiming(in, config, value, line);
    else if (key == "media")
      yaml_sections::ReadMedia(in, config, value, line);
    else if (key == "ping")
      yaml_sections::ReadPing(in, config, value, line);
    else if (key == "logging")
      ReadLogging(in, config, value, line);
    else if (key == "process")
      ReadProcess(in, config, value, line);
    else if (key == "policy")
      ReadPolicy(in, config, value, line);
    else if (key == "metrics")
      ReadMetrics(in, config, value, line);
    else if (key == "builtins")
      ReadBuiltins(in, config, value, line);
    else if (key == "respawn")
      ReadRespawn(in, config, value, line);
    else if (key == "apiauth")
      ReadApiAuth(in, config, value, line);
    else if (key == "env")
      ReadEnv(in, config, value, line);
    else if (key == "resources")
      yaml_sections::ReadResources(in, config, value, line);
    else if (key == "auth")
      yaml_sections::ReadAuth(in, config, value, line);
  }
}

}  // namespace

void ParseYamlConfig(std::string_view content, const std::string& file, ClusterConfig& config,
                     Diagnostics& diags) {
  try {
    std::optional<YAML::Node> root = LoadYamlDocument(content, file, diags);
    if (!root)
      return;
    YamlReader in(file, diags);
    ParseTopLevel(in, config, *root);
  } catch (const YAML::Exception& e) {
    int line = e.mark.is_null() || e.mark.line < 0 ? 0 : e.mark.line + 1;
    diags.Error(file, line, "YAML error: " + e.msg);
  } catch (const std::exception& e) {
    diags.Error(file, 0, std::string("cannot read the file as YAML: ") + e.what());
  }
}

}  // namespace hbd::config
