#include "membership/liveness_tracker.h"

#include <algorithm>
#include <cctype>

namespace hbd::membership {
namespace {

std::string Lower(std::string_view text) {
  std::string out;
  for (char c : text)
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Millis ToMillis(Duration d) {
  return std::chrono::duration_cast<Millis>(d);
}

// `t + d` without overflowing for absurd inputs (a TimePoint near its maximum).
TimePoint Plus(TimePoint t, Millis d) {
  if (t > TimePoint::max() - d)
    return TimePoint::max();
  return t + d;
}

Event Ignored(std::string detail) {
  Event e;
  e.kind = EventKind::kIgnoredInput;
  e.detail = std::move(detail);
  return e;
}

Event NodeChange(const std::string& node, NodeStatus from, NodeStatus to, Reason reason) {
  Event e;
  e.kind = EventKind::kNodeStatus;
  e.node = node;
  e.old_status = from;
  e.new_status = to;
  e.reason = reason;
  return e;
}

Event LinkChange(const std::string& node, const std::string& link, LinkStatus status) {
  Event e;
  e.kind = EventKind::kLinkStatus;
  e.node = node;
  e.link = link;
  e.link_status = status;
  return e;
}

Event Late(EventKind kind, const std::string& node, Duration interval) {
  Event e;
  e.kind = kind;
  e.node = node;
  e.interval = ToMillis(interval);
  return e;
}

}  // namespace

TrackerSetup SetupFromConfig(const config::ClusterConfig& config, std::string_view local_node) {
  TrackerSetup setup;
  setup.local_node = Lower(local_node);
  setup.nodes = config.nodes;
  for (const auto& medium : config.media) {
    if (std::find(setup.links.begin(), setup.links.end(), medium.interface) == setup.links.end()) {
      setup.links.push_back(medium.interface);
    }
  }
  setup.ping_targets = config.ping_targets;
  setup.timings = config.timings;
  setup.comm_up_waits_for_initdead = config.autojoin != config::Autojoin::kNone;
  return setup;
}

LivenessTracker::LivenessTracker(const TrackerSetup& setup, TimePoint start)
    : start_(start),
      latest_(start),
      timings_(setup.timings),
      comm_up_waits_for_initdead_(setup.comm_up_waits_for_initdead),
      ping_(setup.ping_targets, start) {
  for (const auto& link : setup.links) {
    if (std::find(link_names_.begin(), link_names_.end(), link) == link_names_.end()) {
      link_names_.push_back(link);
    }
  }
  std::string local = Lower(setup.local_node);
  std::vector<std::string> names;
  for (const auto& n : setup.nodes)
    names.push_back(Lower(n));
  // A node list without the local node is a configuration error caught by the validator; the
  // tracker still keeps our own status.
  if (std::find(names.begin(), names.end(), local) == names.end())
    names.push_back(local);
  for (const auto& name : names) {
    if (FindNode(name) != nullptr)
      continue;
    NodeState node;
    node.name = name;
    node.is_local = name == local;
    if (node.is_local) {
      node.status = NodeStatus::kUp;
    } else {
      node.links.resize(link_names_.size());
    }
    nodes_.push_back(std::move(node));
  }
}

TimePoint LivenessTracker::Observe(TimePoint now) {
  if (now > latest_)
    latest_ = now;
  return latest_;
}

LivenessTracker::NodeState* LivenessTracker::FindNode(std::string_view name) {
  std::string lower = Lower(name);
  for (auto& n : nodes_) {
    if (n.name == lower)
      return &n;
  }
  return nullptr;
}

const LivenessTracker::NodeState* LivenessTracker::FindNode(std::string_view name) const {
  std::string lower = Lower(name);
  for (const auto& n : nodes_) {
    if (n.name == lower)
      return &n;
  }
  return nullptr;
}

Millis LivenessTracker::Timeout(const NodeState& node) const {
  if (!comm_up_ || !node.heard)
    return timings_.Initdead();
  return node.advertised_deadtime.value_or(timings_.deadtime);
}

Millis LivenessTracker::PingTimeout() const {
  return comm_up_ ? timings_.Deadping() : timings_.Initdead();
}

Events LivenessTracker::OnPacket(TimePoint now, const Packet& packet) {
  now = Observe(now);
  Events events;
  NodeState* node = FindNode(packet.node);
  if (node == nullptr) {
    events.push_back(Ignored("packet from unknown node '" + packet.node + "'"));
    return events;
  }
  if (node->is_local) {
    if (packet.first_copy)
      node->last_packet = now;
    return events;
  }
  auto link = std::find(link_names_.begin(), link_names_.end(), packet.link);
  if (link == link_names_.end()) {
    events.push_back(
        Ignored("packet from node " + node->name + " on unknown link '" + packet.link + "'"));
  } else {
    LinkState& state = node->links[static_cast<size_t>(link - link_names_.begin())];
    state.last_packet = now;
    if (state.status != LinkStatus::kUp) {
      state.status = LinkStatus::kUp;
      events.push_back(LinkChange(node->name, *link, LinkStatus::kUp));
    }
  }
  if (!packet.first_copy)
    return events;

  std::optional<NodeStatus> status;
  if (packet.status) {
    status = ParsePeerStatus(*packet.status);
    if (!status) {
      events.push_back(
          Ignored("node " + node->name + " sent unusable status '" + *packet.status + "'"));
    }
  }
  if (node->alive)
    Refresh(now, *node, &events);
  if (status) {
    if (!node->alive) {
      node->alive = true;
      node->heard = true;
      node->late = false;
      node->last_packet = now;
    }
    TakeStatus(packet, *status, *node, &events);
  }
  CheckCommUp(now, &events);
  return events;
}

// An alive node was heard: close any late episode and restart its silence.
void LivenessTracker::Refresh(TimePoint now, NodeState& node, Events* events) {
  Duration gap = now - *node.last_packet;
  if (gap >= timings_.Warntime()) {
    events->push_back(Late(EventKind::kLateHeartbeatArrived, node.name, gap));
  }
  node.late = false;
  node.last_packet = now;
}

void LivenessTracker::TakeStatus(const Packet& packet, NodeStatus status, NodeState& node,
                                 Events* events) {
  if (packet.deadtime) {
    if (*packet.deadtime > Millis(0)) {
      node.advertised_deadtime = *packet.deadtime;
    } else {
      events->push_back(Ignored("node " + node.name + " advertised deadtime " +
                                std::to_string(packet.deadtime->count()) + " ms"));
    }
  }
  if (node.status != status) {
    events->push_back(NodeChange(node.name, node.status, status, Reason::kHeard));
    node.status = status;
  }
}

void LivenessTracker::MarkDead(NodeState& node, Reason reason, Events* events) {
  events->push_back(NodeChange(node.name, node.status, NodeStatus::kDead, reason));
  node.status = NodeStatus::kDead;
  node.alive = false;
  node.late = false;
  node.ping_count.reset();
}

Events LivenessTracker::OnPingReply(TimePoint now, std::string_view name_or_address) {
  now = Observe(now);
  Events events;
  if (!ping_.OnReply(now, name_or_address, &events)) {
    events.push_back(
        Ignored("ping reply from unknown target '" + std::string(name_or_address) + "'"));
  }
  CheckCommUp(now, &events);
  return events;
}

Events LivenessTracker::OnNodeShutdown(TimePoint now, std::string_view name) {
  now = Observe(now);
  Events events;
  NodeState* node = FindNode(name);
  if (node == nullptr || node->is_local) {
    events.push_back(Ignored("shutdown of " +
                             std::string(node ? "the local node" : "unknown node") + " '" +
                             std::string(name) + "'"));
    return events;
  }
  if (node->status != NodeStatus::kDead)
    MarkDead(*node, Reason::kShutdown, &events);
  CheckCommUp(now, &events);
  return events;
}

Events LivenessTracker::OnPeerPingCount(std::string_view name, int count) {
  Events events;
  NodeState* node = FindNode(name);
  if (node == nullptr || node->is_local || !node->alive || count < 0) {
    events.push_back(Ignored("ping count " + std::to_string(count) + " from node '" +
                             std::string(name) + "' that is not a live peer or is negative"));
    return events;
  }
  node->ping_count = count;
  return events;
}

Events LivenessTracker::Tick(TimePoint now) {
  now = Observe(now);
  Events events;
  CheckTimeouts(now, &events);
  if (!comm_up_) {
    CheckCommUp(now, &events);
    // Comm-up replaces initdead with each node's own timeout, which may already have passed.
    if (comm_up_)
      CheckTimeouts(now, &events);
  }
  return events;
}

Events LivenessTracker::SetTimings(TimePoint now, const config::Timings& timings) {
  timings_ = timings;
  return Tick(now);
}

void LivenessTracker::CheckTimeouts(TimePoint now, Events* events) {
  for (auto& node : nodes_) {
    if (!node.is_local)
      CheckNode(now, node, events);
  }
  ping_.Tick(now, PingTimeout(), events);
}

void LivenessTracker::CheckNode(TimePoint now, NodeState& node, Events* events) {
  Millis timeout = Timeout(node);
  for (size_t i = 0; i < node.links.size(); ++i) {
    LinkState& link = node.links[i];
    if (link.status == LinkStatus::kUp && now - *link.last_packet >= timeout) {
      link.status = LinkStatus::kDead;
      events->push_back(LinkChange(node.name, link_names_[i], LinkStatus::kDead));
    }
  }
  if (node.alive) {
    Duration silence = now - *node.last_packet;
    if (silence >= timeout) {
      MarkDead(node, Reason::kTimeout, events);
    } else if (!node.late && silence >= timings_.Warntime()) {
      node.late = true;
      events->push_back(Late(EventKind::kLateHeartbeat, node.name, silence));
    }
  } else if (!node.heard && node.status != NodeStatus::kDead && now - start_ >= timeout) {
    MarkDead(node, Reason::kTimeout, events);
  }
}

bool LivenessTracker::CommUpConditionMet() const {
  for (const auto& node : nodes_) {
    if (!node.is_local && !node.heard && node.status != NodeStatus::kDead)
      return false;
  }
  return ping_.AllHeardOrDead();
}

void LivenessTracker::CheckCommUp(TimePoint now, Events* events) {
  if (comm_up_ || !CommUpConditionMet())
    return;
  if (comm_up_waits_for_initdead_ && now - start_ < timings_.Initdead())
    return;
  comm_up_ = true;
  for (auto& node : nodes_) {
    if (node.is_local && node.status != NodeStatus::kActive) {
      events->push_back(NodeChange(node.name, node.status, NodeStatus::kActive, Reason::kCommUp));
      node.status = NodeStatus::kActive;
    }
  }
  Event e;
  e.kind = EventKind::kCommUp;
  events->push_back(e);
}

std::optional<TimePoint> LivenessTracker::NextDeadline() const {
  std::optional<TimePoint> next;
  auto consider = [&next](TimePoint due) {
    if (!next || due < *next)
      next = due;
  };
  for (const auto& node : nodes_) {
    if (node.is_local)
      continue;
    Millis timeout = Timeout(node);
    if (node.alive) {
      consider(Plus(*node.last_packet, timeout));
      if (!node.late && timings_.Warntime() < timeout) {
        consider(Plus(*node.last_packet, timings_.Warntime()));
      }
    } else if (!node.heard && node.status != NodeStatus::kDead) {
      consider(Plus(start_, timeout));
    }
    for (const auto& link : node.links) {
      if (link.status == LinkStatus::kUp)
        consider(Plus(*link.last_packet, timeout));
    }
  }
  if (auto due = ping_.NextDeadline(PingTimeout()))
    consider(*due);
  if (!comm_up_ && CommUpConditionMet()) {
    consider(comm_up_waits_for_initdead_ ? Plus(start_, timings_.Initdead()) : start_);
  }
  return next;
}

NodeStatus LivenessTracker::LocalStatus() const {
  for (const auto& node : nodes_) {
    if (node.is_local)
      return node.status;
  }
  return NodeStatus::kUp;  // unreachable: the constructor always adds the local node
}

std::optional<int> LivenessTracker::PeerPingCount(std::string_view name) const {
  const NodeState* node = FindNode(name);
  return node ? node->ping_count : std::nullopt;
}

std::optional<Millis> LivenessTracker::TimeoutFor(std::string_view name) const {
  if (const NodeState* node = FindNode(name))
    return Timeout(*node);
  if (ping_.Find(name) != nullptr)
    return PingTimeout();
  return std::nullopt;
}

NodeView LivenessTracker::ViewOf(const NodeState& node) const {
  NodeView view;
  view.name = node.name;
  view.type = NodeType::kNormal;
  view.status = node.status;
  view.is_local = node.is_local;
  view.last_packet = node.last_packet;
  view.advertised_deadtime = node.advertised_deadtime;
  view.ping_count = node.ping_count;
  for (size_t i = 0; i < node.links.size(); ++i) {
    view.links.push_back({link_names_[i], node.links[i].status, node.links[i].last_packet});
  }
  return view;
}

NodeView LivenessTracker::ViewOf(const PingTargetView& target) const {
  NodeView view;
  view.name = target.name;
  view.type = NodeType::kPing;
  view.status = target.status;
  view.last_packet = target.last_reply;
  return view;
}

std::optional<NodeView> LivenessTracker::Node(std::string_view name) const {
  if (const NodeState* node = FindNode(name))
    return ViewOf(*node);
  if (const PingTargetView* target = ping_.Find(name))
    return ViewOf(*target);
  return std::nullopt;
}

std::vector<NodeView> LivenessTracker::Nodes() const {
  std::vector<NodeView> views;
  for (const auto& node : nodes_)
    views.push_back(ViewOf(node));
  for (const auto& target : ping_.Views())
    views.push_back(*Node(target.name));
  return views;
}

}  // namespace hbd::membership
