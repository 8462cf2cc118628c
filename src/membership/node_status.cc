#include "membership/node_status.h"

#include <cctype>
#include <string>

namespace hbd::membership {

const char* ToString(NodeStatus status) {
  switch (status) {
    case NodeStatus::kInit:
      return "init";
    case NodeStatus::kUp:
      return "up";
    case NodeStatus::kActive:
      return "active";
    case NodeStatus::kDead:
      return "dead";
    case NodeStatus::kPing:
      return "ping";
  }
  return "?";
}

const char* ToString(NodeType type) {
  switch (type) {
    case NodeType::kNormal:
      return "normal";
    case NodeType::kPing:
      return "ping";
  }
  return "?";
}

const char* ToString(LinkStatus status) {
  switch (status) {
    case LinkStatus::kUp:
      return "up";
    case LinkStatus::kDead:
      return "dead";
  }
  return "?";
}

std::optional<NodeStatus> ParsePeerStatus(std::string_view st) {
  std::string lower;
  for (char c : st)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "init")
    return NodeStatus::kInit;
  if (lower == "up")
    return NodeStatus::kUp;
  if (lower == "active")
    return NodeStatus::kActive;
  return std::nullopt;
}

}  // namespace hbd::membership
