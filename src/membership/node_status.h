// The words Heartbeat uses for the state of a cluster member: node status (init/up/active/dead,
// and ping for ping nodes), node type (normal/ping) and link status (up/dead), with their
// spellings on the wire and in status tools. Plain values; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace hbd::membership {

enum class NodeStatus {
  kInit,    // configured but never heard from
  kUp,      // running, comm not yet up (a peer's `st=up`; our own status before comm-up)
  kActive,  // running with comm up
  kDead,    // timed out or shut down
  kPing,    // a ping node (or ping group) that answers
};

enum class NodeType { kNormal, kPing };

enum class LinkStatus { kUp, kDead };

const char* ToString(NodeStatus status);  // "init", "up", "active", "dead", "ping"
const char* ToString(NodeType type);      // "normal", "ping"
const char* ToString(LinkStatus status);  // "up", "dead"

// Parses a peer's `st` field (case-insensitive, as Heartbeat compares it). Only the statuses a
// running node announces are accepted: init, up and active. `dead` and `ping` are never sent by
// a live normal node in a status message, so they yield nullopt like any other word.
std::optional<NodeStatus> ParsePeerStatus(std::string_view st);

}  // namespace hbd::membership
