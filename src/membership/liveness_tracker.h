// LivenessTracker: who in the cluster is alive, as Heartbeat decides it. It owns the status of
// every configured node (init/up/active/dead), of every link to every peer (up/dead), of every
// ping node and ping group (ping/dead), the late-heartbeat warnings and the one comm-up moment.
// It is a pure core: it never reads a clock or touches a socket; the shell passes verified packet
// facts and steady-clock TimePoints in, and carries out the returned events (or hands them to a
// MembershipListener with Deliver()). After every call the shell re-arms one timer at
// NextDeadline() and calls Tick() then; there is no periodic scan. Not thread-safe.
//
// Decisions (Heartbeat behaviour, from heartbeat-protocol.md §2.5, §3):
// * Timeouts: until comm is up every node (ping targets included) uses `initdead`; so does a node
//   never heard from since start. After comm-up a normal node uses the `dt` it last advertised
//   (Heartbeat uses the peer's own deadtime, even when it is shorter than ours, so that both ends
//   agree on when that node is dead), or our `deadtime` if it never sent one; ping targets use
//   `deadping`. Silence of exactly the timeout is death (ms precision, deadline inclusive).
// * Links are per (peer, interface) and time out with their node's window (Heartbeat used the
//   last configured node's window for every link; we use each node's own). A link starts dead and
//   goes up with its first packet. Every copy of a packet counts for its link; only the first copy
//   counts for the node.
// * Status messages make a node alive (status = its `st`); any packet keeps an alive node alive.
//   A non-status packet from a node that is dead or never heard changes nothing but its link, so
//   stragglers after `shutdone` cannot resurrect a node.
// * Death only happens in Tick(). A packet that arrives after more than the timeout while the node
//   is not yet marked dead (our process was stalled) keeps it alive and is reported as a late
//   heartbeat; Heartbeat instead ran a full takeover and then re-accepted the node (its known
//   weakness 13).
// * Late heartbeat: once per episode, in Tick(), when the silence reaches warntime and the node is
//   not dead yet; a packet ending a gap >= warntime is reported with the whole interval.
// * A `now` earlier than one already seen is treated as the latest one seen: time never runs
//   backwards inside the tracker, so a stepped-back value can neither kill a node nor crash.
// * The local node's status is `up` until comm-up and `active` after; it is never timed out and
//   its own looped-back packets are only recorded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/cluster_config.h"
#include "membership/event.h"
#include "membership/node_status.h"
#include "membership/ping_targets.h"
#include "util/time.h"

namespace hbd::membership {

struct TrackerSetup {
  std::string local_node;                        // lower-case, as in the node list
  std::vector<std::string> nodes;                // every normal node, ours included
  std::vector<std::string> links;                // interface names; one link per interface
  std::vector<config::PingTarget> ping_targets;  // ping nodes and ping groups
  config::Timings timings;
  bool comm_up_waits_for_initdead = false;  // autojoin != none: comm-up also waits for initdead
};

// The setup for `local_node` in `config`: media on the same interface make one link.
TrackerSetup SetupFromConfig(const config::ClusterConfig& config, std::string_view local_node);

// The facts of one accepted (authenticated, not replayed) packet.
struct Packet {
  std::string node;  // src
  std::string link;  // the interface it arrived on
  // False for another copy of a packet already counted (same node and seq over another medium).
  bool first_copy = true;
  std::optional<std::string> status;  // `st` of a t=status message; nullopt for other types
  std::optional<Millis> deadtime;     // `dt` of a t=status message
};

struct LinkView {
  std::string name;
  LinkStatus status = LinkStatus::kDead;
  std::optional<TimePoint> last_packet;
};

// What a status tool shows for one node (normal or ping).
struct NodeView {
  std::string name;
  NodeType type = NodeType::kNormal;
  NodeStatus status = NodeStatus::kInit;
  bool is_local = false;
  std::optional<TimePoint> last_packet;  // for a ping target: its last reply
  std::optional<Millis> advertised_deadtime;
  std::optional<int> ping_count;  // the ping connectivity the peer announced (normal peers)
  std::vector<LinkView> links;    // peers only
};

class LivenessTracker {
 public:
  // `start` is when the daemon started: initdead for never-heard nodes counts from it.
  LivenessTracker(const TrackerSetup& setup, TimePoint start);

  Events OnPacket(TimePoint now, const Packet& packet);
  // An echo reply that authenticated as coming from ping node or group `name_or_address`.
  Events OnPingReply(TimePoint now, std::string_view name_or_address);
  // The peer sent `shutdone`: it is dead at once, without waiting for its timeout.
  Events OnNodeShutdown(TimePoint now, std::string_view node);
  // The peer announced how many ping targets it reaches (ipfail's num_ping_nodes).
  Events OnPeerPingCount(std::string_view node, int count);
  // Applies every timeout due at `now`.
  Events Tick(TimePoint now);
  // Replaces the timings (reload); they apply at once, so this also ticks. A peer's advertised
  // dt still decides its own timeout until it advertises another.
  Events SetTimings(TimePoint now, const config::Timings& timings);

  // The earliest time at which Tick() could change something, given no other input; nullopt when
  // nothing is pending. May be <= the last `now` when an input made something due at once.
  std::optional<TimePoint> NextDeadline() const;

  bool CommUp() const { return comm_up_; }
  NodeStatus LocalStatus() const;
  // How many ping targets (nodes and groups) answer now.
  int PingConnectivity() const { return ping_.Reachable(); }
  // True once every ping target has answered or been declared dead: PingConnectivity() then
  // says something (before, a target that has not answered yet counts as unreachable).
  bool PingSettled() const { return ping_.AllHeardOrDead(); }
  std::optional<TimePoint> LastPingReply() const { return ping_.LastReply(); }
  // The count `node` last announced; forgotten when the node dies.
  std::optional<int> PeerPingCount(std::string_view node) const;
  // The timeout currently applied to `node` (normal or ping); nullopt for an unknown name.
  std::optional<Millis> TimeoutFor(std::string_view node) const;

  std::optional<NodeView> Node(std::string_view name) const;
  std::vector<NodeView> Nodes() const;  // normal nodes in config order, then ping targets
  std::vector<PingTargetView> PingTargetViews() const { return ping_.Views(); }
  const config::Timings& timings() const { return timings_; }

 private:
  struct LinkState {
    LinkStatus status = LinkStatus::kDead;
    std::optional<TimePoint> last_packet;
  };
  struct NodeState {
    std::string name;
    bool is_local = false;
    NodeStatus status = NodeStatus::kInit;
    bool alive = false;  // made alive by a status message and not dead since
    bool heard = false;  // a status message arrived since start
    bool late = false;   // a late warning was given in the current silence
    std::optional<TimePoint> last_packet;
    std::optional<Millis> advertised_deadtime;
    std::optional<int> ping_count;
    std::vector<LinkState> links;
  };

  TimePoint Observe(TimePoint now);
  NodeState* FindNode(std::string_view name);
  const NodeState* FindNode(std::string_view name) const;
  Millis Timeout(const NodeState& node) const;
  Millis PingTimeout() const;
  void Refresh(TimePoint now, NodeState& node, Events* events);
  void TakeStatus(const Packet& packet, NodeStatus status, NodeState& node, Events* events);
  void MarkDead(NodeState& node, Reason reason, Events* events);
  void CheckTimeouts(TimePoint now, Events* events);
  void CheckNode(TimePoint now, NodeState& node, Events* events);
  bool CommUpConditionMet() const;  // all heard or dead, initdead aside
  void CheckCommUp(TimePoint now, Events* events);
  NodeView ViewOf(const NodeState& node) const;
  NodeView ViewOf(const PingTargetView& target) const;

  TimePoint start_;
  TimePoint latest_;
  config::Timings timings_;
  bool comm_up_waits_for_initdead_;
  bool comm_up_ = false;
  std::vector<std::string> link_names_;
  std::vector<NodeState> nodes_;
  PingTargets ping_;
};

}  // namespace hbd::membership
