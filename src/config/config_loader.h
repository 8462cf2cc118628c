// Loading a configuration from disk: the classic directory (ha.cf, haresources, authkeys) or one
// hbd.yaml, with the file-safety rules (authkeys owned by root, mode 0600) and validation against
// this machine. The daemon, --check-config and reload all load through here, so they report the
// same messages. Not thread-safe.
#pragma once

#include <string>

#include "config/cluster_config.h"
#include "config/config_validator.h"
#include "config/diagnostics.h"

namespace hbd::config {

struct LoadOptions {
  std::string local_node;        // empty: uname -n
  bool check_interfaces = true;  // warn about media on interfaces this machine lacks
  // Extra resource directories searched after the config dir's resource.d (hbd's own
  // resource.d); /etc/init.d always comes last.
  std::vector<std::string> shipped_resource_dirs;
  std::string init_dir = "/etc/init.d";
};

struct LoadedConfig {
  ClusterConfig config;
  Diagnostics diags;
  std::string local_node;  // lower-cased, as used for the checks
  std::string source;      // the directory or YAML file read
  bool ok() const { return !diags.HasErrors(); }
};

LoadedConfig LoadClassicDirectory(const std::string& dir, const LoadOptions& options);
LoadedConfig LoadYamlFile(const std::string& path, const LoadOptions& options);

// hbd's shipped resource.d: the installed one if present, else the source tree's.
std::vector<std::string> DefaultShippedResourceDirs();

// The machine's node name (uname -n), lower-cased.
std::string LocalNodeName();

// Checks that a secrets file is owned by root and has mode 0600; reports the mode found.
void CheckSecretFileSafety(const std::string& path, Diagnostics& diags);

}  // namespace hbd::config
