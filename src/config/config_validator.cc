#include "config/config_validator.h"

#include <map>
#include <set>

#include "config/config_text.h"
#include "config/suggest.h"

namespace hbd::config {
namespace {

std::string Ms(Millis value) {
  return std::to_string(value.count()) + " ms";
}

// Reports against the directive's own line when it was set, else against the file.
void Report(Diagnostics& diags, Severity severity, const SourceLocation& at,
            const std::string& fallback_file, std::string message) {
  Diagnostic d{severity, at.file.empty() ? fallback_file : at.file, at.line, std::move(message)};
  diags.Add(std::move(d));
}

void CheckTimings(const ClusterConfig& config, const ValidationContext& ctx, Diagnostics& diags) {
  const Timings& t = config.timings;
  const std::string& f = ctx.hacf_file;
  if (t.keepalive <= Millis(0)) {
    Report(diags, Severity::kError, t.keepalive_at, f, "keepalive must be greater than 0");
    return;
  }
  if (t.deadtime <= 2 * t.keepalive) {
    Report(diags, Severity::kError, t.deadtime_at, f,
           "deadtime (" + Ms(t.deadtime) + ") must be more than twice keepalive (" +
               Ms(t.keepalive) + "): one lost heartbeat would declare a node dead");
  }
  Millis warn = t.Warntime();
  if (warn >= t.deadtime) {
    Report(diags, Severity::kError, t.warntime_at, f,
           "warntime (" + Ms(warn) + ") must be less than deadtime (" + Ms(t.deadtime) +
               "): the late-heartbeat warning would come after the node is declared dead");
  }
  if (t.keepalive >= warn) {
    Report(diags, Severity::kError, t.warntime_at.line ? t.warntime_at : t.keepalive_at, f,
           "keepalive (" + Ms(t.keepalive) + ") must be less than warntime (" + Ms(warn) +
               "): every heartbeat would be reported late");
  }
  if (t.initdead) {
    if (*t.initdead < t.deadtime) {
      Report(diags, Severity::kError, t.initdead_at, f,
             "initdead (" + Ms(*t.initdead) + ") must not be smaller than deadtime (" +
                 Ms(t.deadtime) + ")");
    } else if (*t.initdead < 2 * t.deadtime) {
      Report(diags, Severity::kWarning, t.initdead_at, f,
             "initdead (" + Ms(*t.initdead) + ") is less than twice deadtime (" + Ms(t.deadtime) +
                 "); a network that is slow to come up at boot may make "
                 "nodes declare each other dead");
    }
  }
  if (t.deadping) {
    if (*t.deadping <= 2 * t.keepalive) {
      Report(diags, Severity::kError, t.deadping_at, f,
             "deadping (" + Ms(*t.deadping) + ") must be more than twice keepalive (" +
                 Ms(t.keepalive) + ")");
    } else if (*t.deadping >= t.deadtime) {
      Report(diags, Severity::kWarning, t.deadping_at, f,
             "deadping (" + Ms(*t.deadping) + ") is not less than deadtime (" + Ms(t.deadtime) +
                 "); a node that loses its ping nodes is noticed only as late as a dead node");
    }
  }
}

void CheckMembership(const ClusterConfig& config, const ValidationContext& ctx,
                     Diagnostics& diags) {
  const std::string& f = ctx.hacf_file;
  if (config.media.empty()) {
    diags.Error(f, 0,
                "no heartbeat media: add at least one bcast, mcast, mcast6, ucast or ucast6 line");
  }
  if (config.nodes.empty() && config.autojoin != Autojoin::kAny) {
    diags.Error(f, 0, "no nodes: add a 'node NAME' line for every cluster member");
  }
  if (!ctx.local_node.empty() && !config.nodes.empty() && !config.HasNode(ctx.local_node) &&
      config.autojoin != Autojoin::kAny) {
    std::string hint = ClosestMatch(ToLower(ctx.local_node), config.nodes);
    diags.Error(f, 0,
                "this host's node name '" + ToLower(ctx.local_node) +
                    "' (uname -n, or --node) is not a 'node' in ha.cf" +
                    (hint.empty() ? std::string() : "; did you mean '" + hint + "'?"));
  }
  if (config.nodes.size() > 100) {
    diags.Error(f, 0, "more than 100 nodes (" + std::to_string(config.nodes.size()) + ")");
  }
  if (ctx.interface_exists) {
    std::set<std::string> reported;
    for (const auto& m : config.media) {
      if (m.interface.empty() || reported.count(m.interface))
        continue;
      if (!ctx.interface_exists(m.interface)) {
        reported.insert(m.interface);
        Report(diags, Severity::kWarning, m.where, f,
               std::string(ToString(m.type)) + " names interface '" + m.interface +
                   "', which does not exist on this machine now; hbd will retry it");
      }
    }
  }
}

bool IsIpResource(const Resource& r) {
  return r.type == "IPaddr" || r.type == "IPaddr2";
}

void CheckGroups(const ClusterConfig& config, const ValidationContext& ctx, Diagnostics& diags) {
  const std::string& f = ctx.haresources_file;
  std::map<std::string, SourceLocation> seen_spec;
  std::map<std::string, SourceLocation> seen_address;
  std::vector<std::string> node_names = config.nodes;
  for (const auto& group : config.groups) {
    if (!config.HasNode(group.preferred_node)) {
      std::string hint = ClosestMatch(group.preferred_node, node_names);
      Report(diags, Severity::kError, group.where, f,
             "preferred node '" + group.preferred_node + "' is not a 'node' in ha.cf" +
                 (hint.empty() ? std::string() : "; did you mean '" + hint + "'?"));
    }
    for (const auto& r : group.resources) {
      const SourceLocation& at = r.where.line ? r.where : group.where;
      std::string spec = r.Spec();
      auto [it, fresh] = seen_spec.emplace(spec, at);
      if (!fresh) {
        Report(diags, Severity::kError, at, f,
               "resource '" + spec + "' already appears at line " +
                   std::to_string(it->second.line) + "; a resource can belong to one group only");
      }
      if (IsIpResource(r)) {
        std::string address = ManagedAddress(r);
        auto [ait, afresh] = seen_address.emplace(address, at);
        if (!afresh && fresh) {
          Report(diags, Severity::kError, at, f,
                 "address " + address + " is already managed at line " +
                     std::to_string(ait->second.line) +
                     "; the same VIP in two places would be configured twice");
        }
      }
      if (ctx.is_executable && ResolveResourceScript(r, ctx).empty()) {
        std::string where;
        for (const auto& d : ctx.resource_dirs)
          where += (where.empty() ? "" : ", ") + d;
        Report(diags, Severity::kError, at, f,
               "no executable script for resource '" + r.type + "' in " + where);
      }
    }
  }
}

void CheckPolicy(const ClusterConfig& config, const ValidationContext& ctx, Diagnostics& diags) {
  const ResourcePolicy& p = config.policy;
  if (p.stop_failure == StopFailure::kFence && p.fence_hook.empty()) {
    Report(diags, Severity::kError, p.stop_failure_at, ctx.hacf_file,
           "stop_failure fence needs a fence_hook (the program that fences a node)");
  }
  if (p.monitor_interval.count() > 0 && p.monitor_interval < p.status_timeout) {
    Report(diags, Severity::kWarning, p.stop_failure_at, ctx.hacf_file,
           "monitor_interval is shorter than status_timeout; a slow status check will overlap "
           "the next one");
  }
  if (p.failback_holddown && config.auto_failback == AutoFailback::kOff) {
    Report(diags, Severity::kWarning, p.failback_holddown_at, ctx.hacf_file,
           "failback_holddown has no effect with auto_failback off");
  }
}

void CheckAuth(const ClusterConfig& config, Diagnostics& diags, const std::string& hacf) {
  if (config.auth.keys.empty() || config.auth.sign_index < 0) {
    diags.Error(config.auth.sign_at.file.empty() ? hacf : config.auth.sign_at.file,
                config.auth.sign_at.line, "no usable authentication key (authkeys)");
  }
}

}  // namespace

std::string ManagedAddress(const Resource& resource) {
  if (!IsIpResource(resource) || resource.args.empty())
    return {};
  const std::string& arg = resource.args.front();
  return arg.substr(0, arg.find('/'));
}

std::string ResolveResourceScript(const Resource& resource, const ValidationContext& ctx) {
  if (!ctx.is_executable)
    return {};
  const std::string& type = resource.type;
  if (type.empty() || type.find('/') != std::string::npos || type == "." || type == "..") {
    return {};
  }
  // ocf:PROVIDER:TYPE and Heartbeat's OCF::TYPE (provider heartbeat).
  if (type.rfind("ocf:", 0) == 0) {
    size_t colon = type.find(':', 4);
    if (colon == std::string::npos)
      return {};
    std::string path =
        ctx.ocf_root + "/resource.d/" + type.substr(4, colon - 4) + "/" + type.substr(colon + 1);
    return ctx.is_executable(path) ? path : std::string();
  }
  if (type == "OCF") {
    if (resource.args.empty())
      return {};
    std::string path = ctx.ocf_root + "/resource.d/heartbeat/" + resource.args.front();
    return ctx.is_executable(path) ? path : std::string();
  }
  for (const auto& dir : ctx.resource_dirs) {
    std::string path = dir + "/" + type;
    if (ctx.is_executable(path))
      return path;
  }
  return {};
}

void ValidateConfig(const ClusterConfig& config, const ValidationContext& context,
                    Diagnostics& diags) {
  CheckTimings(config, context, diags);
  CheckMembership(config, context, diags);
  CheckGroups(config, context, diags);
  CheckPolicy(config, context, diags);
  CheckAuth(config, diags, context.hacf_file);
}

}  // namespace hbd::config
