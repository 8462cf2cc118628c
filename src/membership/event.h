// What the liveness tracker reports: one Event per change (node status, link status, ping target
// status, a late heartbeat, comm-up) and per input it could not use. A flat value so that callers
// can store, compare and print events without visiting anything. Plain values; thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "membership/node_status.h"

namespace hbd::membership {

using Millis = std::chrono::milliseconds;

enum class EventKind {
  kNodeStatus,            // node, old_status, new_status, reason
  kLinkStatus,            // node, link, link_status
  kPingStatus,            // node (the ping target's name), old_status, new_status, reason
  kLateHeartbeat,         // node, interval = silence so far; once per late episode
  kLateHeartbeatArrived,  // node, interval = the whole gap ended by this packet (>= warntime)
  kCommUp,                // every configured node heard from or declared dead; reported once
  kIgnoredInput,          // detail says which input was unusable and why
};

// Why a status changed.
enum class Reason {
  kNone,
  kHeard,     // a packet (status message, ping reply) arrived
  kTimeout,   // silent for its timeout (deadtime, the peer's dt, initdead or deadping)
  kShutdown,  // the peer said `shutdone`: it left cleanly and holds nothing
  kCommUp,    // our own status became active because comm came up
};

struct Event {
  EventKind kind = EventKind::kIgnoredInput;
  std::string node;
  std::string link;
  NodeStatus old_status = NodeStatus::kInit;
  NodeStatus new_status = NodeStatus::kInit;
  LinkStatus link_status = LinkStatus::kDead;
  Reason reason = Reason::kNone;
  Millis interval{0};
  std::string detail;

  bool operator==(const Event&) const = default;
};

using Events = std::vector<Event>;

const char* ToString(Reason reason);

// One line for logs and test expectations, e.g. "node b: active -> dead (timeout)",
// "link b:eth1 dead", "ping 192.0.2.1: init -> ping (heard)", "late heartbeat: node b silent for
// 15000 ms", "late heartbeat: node b interval 16000 ms", "comm up", "ignored: ...".
std::string ToString(const Event& event);

}  // namespace hbd::membership
