// The listener interface through which membership changes reach their users (the resource
// manager, ipfail, the client API), and Deliver(), which feeds the tracker's returned events to
// one. The tracker itself only returns event vectors, so it stays testable without a listener.
// Not thread-safe: call from the thread that owns the tracker.
#pragma once

#include <string>

#include "membership/event.h"
#include "membership/node_status.h"

namespace hbd::membership {

class MembershipListener {
 public:
  virtual ~MembershipListener() = default;

  virtual void OnNodeStatusChanged(const std::string& node, NodeStatus old_status,
                                   NodeStatus new_status, Reason reason) = 0;
  virtual void OnLinkStatusChanged(const std::string& node, const std::string& link,
                                   LinkStatus status) = 0;
  virtual void OnPingStatusChanged(const std::string& target, NodeStatus old_status,
                                   NodeStatus new_status) = 0;
  // The node has been silent for `silence` (>= warntime); once per late episode.
  virtual void OnLateHeartbeat(const std::string& node, Millis silence) = 0;
  virtual void OnCommUp() = 0;

  // Optional: a packet ended a gap of `interval` (>= warntime), Heartbeat's "Late heartbeat"
  // log line; and inputs the tracker could not use.
  virtual void OnLateHeartbeatArrived(const std::string& /*node*/, Millis /*interval*/) {}
  virtual void OnIgnoredInput(const std::string& /*detail*/) {}
};

// Calls the listener once per event, in order.
void Deliver(const Events& events, MembershipListener& listener);

}  // namespace hbd::membership
