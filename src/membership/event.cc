#include "membership/event.h"

namespace hbd::membership {

const char* ToString(Reason reason) {
  switch (reason) {
    case Reason::kNone:
      return "none";
    case Reason::kHeard:
      return "heard";
    case Reason::kTimeout:
      return "timeout";
    case Reason::kShutdown:
      return "shutdown";
    case Reason::kCommUp:
      return "comm up";
  }
  return "?";
}

std::string ToString(const Event& event) {
  std::string change = std::string(ToString(event.old_status)) + " -> " +
                       ToString(event.new_status) + " (" + ToString(event.reason) + ")";
  switch (event.kind) {
    case EventKind::kNodeStatus:
      return "node " + event.node + ": " + change;
    case EventKind::kLinkStatus:
      return "link " + event.node + ":" + event.link + " " + ToString(event.link_status);
    case EventKind::kPingStatus:
      return "ping " + event.node + ": " + change;
    case EventKind::kLateHeartbeat:
      return "late heartbeat: node " + event.node + " silent for " +
             std::to_string(event.interval.count()) + " ms";
    case EventKind::kLateHeartbeatArrived:
      return "late heartbeat: node " + event.node + " interval " +
             std::to_string(event.interval.count()) + " ms";
    case EventKind::kCommUp:
      return "comm up";
    case EventKind::kIgnoredInput:
      return "ignored: " + event.detail;
  }
  return "?";
}

}  // namespace hbd::membership
