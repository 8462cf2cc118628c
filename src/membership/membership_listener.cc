#include "membership/membership_listener.h"

namespace hbd::membership {

void Deliver(const Events& events, MembershipListener& listener) {
  for (const Event& e : events) {
    switch (e.kind) {
      case EventKind::kNodeStatus:
        listener.OnNodeStatusChanged(e.node, e.old_status, e.new_status, e.reason);
        break;
      case EventKind::kLinkStatus:
        listener.OnLinkStatusChanged(e.node, e.link, e.link_status);
        break;
      case EventKind::kPingStatus:
        listener.OnPingStatusChanged(e.node, e.old_status, e.new_status);
        break;
      case EventKind::kLateHeartbeat:
        listener.OnLateHeartbeat(e.node, e.interval);
        break;
      case EventKind::kLateHeartbeatArrived:
        listener.OnLateHeartbeatArrived(e.node, e.interval);
        break;
      case EventKind::kCommUp:
        listener.OnCommUp();
        break;
      case EventKind::kIgnoredInput:
        listener.OnIgnoredInput(e.detail);
        break;
    }
  }
}

}  // namespace hbd::membership
