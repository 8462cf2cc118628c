// The configuration digest: a short fingerprint of the settings every node of a cluster must
// agree on, exchanged in status messages so that operators learn when their files differ. It
// covers, in this canonical form (one fact a line, read from the model, so ha.cf and hbd.yaml
// saying the same thing give the same digest):
//   * the node list, in order (it ranks nodes for placement);
//   * the timings in force (keepalive, deadtime, warntime, initdead, deadping, in ms);
//   * auto_failback and autojoin;
//   * the failback hold-down in force (hbd-only failback_holddown), when it is not the default
//     5 x deadtime: it decides when groups move home, so the nodes must agree on it;
//   * the media kinds, ports and multicast groups (not interfaces or ucast peers, which
//     legitimately differ from node to node), as a sorted set;
//   * the built-in helpers (ipfail, dopd);
//   * every haresources group in order: preferred node and resources.
// Not covered: authkeys (secrets never leave the node, and a key mismatch already shows as
// rejected packets), logging, process settings, ping targets, env, and the rest of the hbd-only
// resource policy (each node's own way of running scripts). Pure; thread-safe.
#pragma once

#include <string>

#include "config/cluster_config.h"

namespace hbd::config {

// The canonical text the digest is taken over (for tests and for operators comparing).
std::string ConfigDigestText(const ClusterConfig& config);

// The first 12 hex digits of the SHA-1 of ConfigDigestText.
std::string ConfigDigest(const ClusterConfig& config);

}  // namespace hbd::config
