// The configuration validator: checks a finished ClusterConfig as a whole (timing rules,
// membership of this host and of every preferred node, media interfaces, resource scripts,
// duplicates) with Heartbeat's rules and stricter ones, reporting each problem at the line it
// came from. What it needs from the machine (interfaces, executables) comes in through the
// context, so tests run it on any host. Not thread-safe (writes to the caller's Diagnostics).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/cluster_config.h"
#include "config/diagnostics.h"

namespace hbd::config {

struct ValidationContext {
  std::string local_node;  // `uname -n` or --node
  // Resource script directories searched in order (the config dir's resource.d, hbd's own,
  // /etc/init.d); OCF agents are looked up under `ocf_root`/resource.d/PROVIDER/TYPE.
  std::vector<std::string> resource_dirs;
  std::string ocf_root = "/usr/lib/ocf";
  // Answers whether a network interface exists; unset skips the check.
  std::function<bool(const std::string&)> interface_exists;
  // Answers whether a path is an executable regular file.
  std::function<bool(const std::string&)> is_executable;
  // Where to point problems that belong to a whole file rather than a line.
  std::string hacf_file = "ha.cf";
  std::string haresources_file = "haresources";
};

void ValidateConfig(const ClusterConfig& config, const ValidationContext& context,
                    Diagnostics& diags);

// Where the script for `resource` lives, or "" when it is found nowhere.
std::string ResolveResourceScript(const Resource& resource, const ValidationContext& context);

// The address an IPaddr/IPaddr2 resource manages ("10.0.0.1" of "10.0.0.1/24/eth0"), or "".
std::string ManagedAddress(const Resource& resource);

}  // namespace hbd::config
