// Ping nodes and ping groups as Heartbeat's pseudo-nodes of type `ping`: a target is `ping`
// while it answers and `dead` after a timeout without a reply; a group answers when any of its
// addresses does. Owned by LivenessTracker, which chooses the timeout (initdead until comm-up,
// deadping after). Pure: times come in as values. Not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/cluster_config.h"
#include "membership/event.h"
#include "membership/node_status.h"
#include "util/time.h"

namespace hbd::membership {

// What a status tool shows for one ping target.
struct PingTargetView {
  std::string name;
  bool is_group = false;
  std::vector<std::string> addresses;
  NodeStatus status = NodeStatus::kInit;  // init, ping or dead
  std::optional<TimePoint> last_reply;
};

class PingTargets {
 public:
  PingTargets(const std::vector<config::PingTarget>& targets, TimePoint start);

  // A reply from `name_or_address`: credits every target named so (a ping node, or a group whose
  // reply carries the group's name) and every group listing that address. Returns false when
  // nothing matched.
  bool OnReply(TimePoint now, std::string_view name_or_address, Events* events);

  // Declares dead every target not dead yet that has had no reply for `timeout` (counting a
  // target never heard from since `start`).
  void Tick(TimePoint now, Millis timeout, Events* events);

  // The earliest time at which Tick(…, timeout) would change something; nullopt if never.
  std::optional<TimePoint> NextDeadline(Millis timeout) const;

  // How many targets are `ping` now: the local ping connectivity that ipfail compares.
  int Reachable() const;

  // True when every target has answered at least once or been declared dead (comm-up rule).
  bool AllHeardOrDead() const;

  // The newest reply from any target; nullopt before the first.
  std::optional<TimePoint> LastReply() const;

  std::vector<PingTargetView> Views() const { return targets_; }
  const PingTargetView* Find(std::string_view name) const;

 private:
  static bool Matches(const PingTargetView& target, std::string_view name_or_address);

  TimePoint start_;
  std::vector<PingTargetView> targets_;
};

}  // namespace hbd::membership
