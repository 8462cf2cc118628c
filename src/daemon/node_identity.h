// This node's identity on the wire: the uuid (derived from the node name, like Heartbeat's
// `uuidfrom nodename`, so it needs no state) and the generation, which must grow at every start
// so peers can tell a restart from a replay: max(stored + 1, wall-clock seconds), stored in the
// state directory with fsync before use. Shell code (files, wall clock); not thread-safe.
#pragma once

#include <string>

#include "membership/membership_protocol.h"

namespace hbd::daemon {

// Returns the identity; on a state-directory problem the generation falls back to wall-clock
// seconds and `warning` says why.
membership::LocalIdentity MakeLocalIdentity(const std::string& node, const std::string& state_dir,
                                            std::string& warning);

std::string UuidFromNodeName(const std::string& node);

}  // namespace hbd::daemon
