// hbd.yaml: the whole cluster configuration (ha.cf + haresources + authkeys) in one YAML file,
// for operators who prefer it. This file owns the YAML schema: writing a model as YAML and reading
// YAML back into the model. Pure functions (no file access); thread-safe.
//
// Schema (every key optional; conf/hbd.yaml is a commented sample):
//   cluster:   name, nodes: [names], auto_failback: on|off|legacy, autojoin: none|other|any
//   timing:    keepalive, deadtime, warntime, initdead, deadping   (2s, 500ms; a bare number is
//              seconds, as in ha.cf)
//   udpport:   694                  (default port of media entries that give none)
//   media:     - {type: bcast, interface: IF, port}
//              - {type: mcast|mcast6, interface: IF, group: ADDR, port, ttl: 1, loop: false}
//              - {type: ucast|ucast6, interface: IF, peer: ADDR, port}
//   ping:      - {address: ADDR}  |  - {group: NAME, addresses: [ADDR, ...]}
//   logging:   facility, logfile, debugfile, use_logd, debug: 0-255, log_badpack
//   process:   realtime, rtprio, coredumps, coreroot, watchdog   (the watchdog device)
//   builtins:  {ipfail: bool, dopd: bool}
//   respawn:   - {user, path, args: [...]}
//   apiauth:   - {client, uid: [...], gid: [...]}
//   env:       {NAME: VALUE, ...}   (exported to resource scripts as HA_NAME)
//   resources: - {node: PREFERRED-NODE, group: [haresources tokens, e.g. drbddisk,
//                 "Filesystem::/dev/drbd0::/drbd::ext4", "IPaddr::192.0.2.10/24", 192.0.2.11]}
//   auth:      {sign: INDEX, keys: [{index: 0-15, method: crc|md5|sha1, secret: TEXT}]}
//
// Text whose bytes are not UTF-8 is written as base64 `!!binary` and read back byte for byte.
// Round trip: ParseYamlConfig(ExportYaml(m)) == m for every model the classic parsers can build
// (node_at parallel to nodes; auto_failback other than legacy only with auto_failback_set).
// The parser is split by section: config_yaml.cc, config_yaml_media.cc, config_yaml_resources.cc.
#pragma once

#include <string>
#include <string_view>

#include "config/cluster_config.h"
#include "config/diagnostics.h"

namespace hbd::config {

// The hbd.yaml text for `config`. Values at their defaults are left out, except the cluster name,
// the nodes, keepalive, deadtime and udpport, which an operator always wants to see.
std::string ExportYaml(const ClusterConfig& config);

// Reads `content` (the text of the file named `file`) into `config`: the settings it gives replace
// those in `config`, its lists are appended. Every problem goes to `diags` with its line; bad
// entries are left out. Never throws on bad input.
void ParseYamlConfig(std::string_view content, const std::string& file, ClusterConfig& config,
                     Diagnostics& diags);

}  // namespace hbd::config
