// What a node says about one resource group: the states every node announces in its status
// messages, and how they read ("held", "eligible"). Plain values; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace hbd::arbiter {

enum class GroupState {
  kStopped,     // not running here; this node may take it
  kStarting,    // start in progress here
  kRunning,     // running here
  kStopping,    // stop in progress here
  kFailed,      // could not start here; this node stays out of it until its back-off ends
  kReleased,    // stopped here for an operator move or failback; this node does not take it
                // back until it runs elsewhere (or nobody else can run it)
  kStopFailed,  // a resource would not stop: it may still run here, so it counts as held
};

// Held: somebody must not start another copy.
inline bool Holds(GroupState s) {
  return s == GroupState::kStarting || s == GroupState::kRunning || s == GroupState::kStopping ||
         s == GroupState::kStopFailed;
}

// Eligible: the node may be chosen to run the group.
inline bool Eligible(GroupState s) {
  return s != GroupState::kFailed && s != GroupState::kReleased;
}

const char* ToString(GroupState state);  // "stopped", "starting", "running", ...
std::optional<GroupState> ParseGroupState(std::string_view text);

// One group's entry in a node's report: its state and, for kReleased, the node it was released
// to (empty: any).
struct GroupReportEntry {
  GroupState state = GroupState::kStopped;
  std::string target;
  bool operator==(const GroupReportEntry&) const = default;
};

// A node's whole report, carried in every status message it sends. `version` grows with every
// change (and across restarts); `seen` says which version of each peer's report the node has
// processed, so a node that claims a group knows when every live peer has seen its claim.
struct NodeReport {
  uint64_t version = 0;
  std::map<std::string, uint64_t> seen;
  std::map<std::string, GroupReportEntry> groups;  // by group key; absent = stopped
  bool operator==(const NodeReport&) const = default;
};

// "running", "released>node2": the value of a report field.
std::string FormatReportEntry(const GroupReportEntry& entry);
std::optional<GroupReportEntry> ParseReportEntry(std::string_view text);

}  // namespace hbd::arbiter
