#include "arbiter/group_arbiter.h"

#include <algorithm>

namespace hbd::arbiter {

std::optional<MoveSet> ParseMoveSet(std::string_view text) {
  if (text.empty() || text == "all")
    return MoveSet::kAll;
  if (text == "local")
    return MoveSet::kLocal;
  if (text == "foreign" || text == "failback")
    return MoveSet::kForeign;
  return std::nullopt;
}

const char* ToString(MoveSet set) {
  switch (set) {
    case MoveSet::kAll:
      return "all";
    case MoveSet::kLocal:
      return "local";
    case MoveSet::kForeign:
      return "foreign";
  }
  return "?";
}

GroupArbiter::GroupArbiter(std::string local_node, std::vector<std::string> nodes,
                           std::vector<GroupSpec> groups, ArbiterPolicy policy,
                           uint64_t first_version)
    : local_(std::move(local_node)),
      nodes_(std::move(nodes)),
      groups_(std::move(groups)),
      policy_(policy),
      local_groups_(groups_.size()),
      version_(first_version) {
  for (const auto& n : nodes_) {
    if (n != local_)
      peers_[n] = Peer{};
  }
}

bool GroupArbiter::Alive(const std::string& node) const {
  if (node == local_)
    return true;
  auto it = peers_.find(node);
  return it != peers_.end() && it->second.alive;
}

GroupReportEntry GroupArbiter::PeerEntry(const Peer& peer, size_t g) const {
  auto it = peer.report.groups.find(groups_[g].key);
  return it == peer.report.groups.end() ? GroupReportEntry{} : it->second;
}

std::vector<std::string> GroupArbiter::LiveHolders(size_t g) const {
  std::vector<std::string> out;
  for (const auto& [name, peer] : peers_) {
    if (peer.alive && Holds(PeerEntry(peer, g).state))
      out.push_back(name);
  }
  return out;
}

bool GroupArbiter::AllPeersReported() const {
  return std::all_of(peers_.begin(), peers_.end(),
                     [](const auto& p) { return !p.second.alive || p.second.reported; });
}

bool GroupArbiter::IsEligible(const std::string& node, size_t g) const {
  if (policy_.ipfail && ReachesNoPingNode(node))
    return false;
  if (node == local_) {
    return comm_up_ && !shutting_down_ && local_groups_[g].state == GroupState::kStopped &&
           (!policy_.ipfail || PingEvidenceFresh());
  }
  auto it = peers_.find(node);
  if (it == peers_.end() || !it->second.alive || !it->second.reported)
    return false;
  return Eligible(PeerEntry(it->second, g).state);
}

int GroupArbiter::Rank(const std::string& node, size_t g) const {
  if (node == groups_[g].preferred_node)
    return 0;
  auto it = std::find(nodes_.begin(), nodes_.end(), node);
  return 1 + static_cast<int>(it - nodes_.begin());
}

int GroupArbiter::Connectivity(const std::string& node) const {
  auto it = connectivity_.find(node);
  return it == connectivity_.end() ? 0 : std::max(0, it->second);
}

bool GroupArbiter::ConnectivityKnown(const std::string& node) const {
  auto it = connectivity_.find(node);
  return it != connectivity_.end() && it->second != kConnectivityUnknown;
}

bool GroupArbiter::AllConnectivityKnown() const {
  if (!ConnectivityKnown(local_))
    return false;
  return std::all_of(peers_.begin(), peers_.end(),
                     [&](const auto& p) { return !p.second.alive || ConnectivityKnown(p.first); });
}

bool GroupArbiter::ReachesNoPingNode(const std::string& node) const {
  auto it = connectivity_.find(node);
  return it != connectivity_.end() && it->second == 0;
}

bool GroupArbiter::PingEvidenceFresh() const {
  if (!last_peer_death_)
    return true;
  TimePoint silence_began = *last_peer_death_ - policy_.peer_deadtime + policy_.peer_keepalive;
  return last_ping_reply_ && *last_ping_reply_ > silence_began &&
         *ping_run_start_ + PingRunConfirmation() <= now_;
}

std::string GroupArbiter::BetterConnectedPeer(size_t g) const {
  std::string best;
  for (const auto& n : nodes_) {
    if (n == local_ || !IsEligible(n, g) || Connectivity(n) <= Connectivity(local_))
      continue;
    if (best.empty() || Connectivity(n) > Connectivity(best))
      best = n;
  }
  return best;
}

std::string GroupArbiter::ChooseOwner(size_t g, const std::string& excluding) const {
  // With ipfail, only the best-connected eligible nodes are candidates.
  int best = -1;
  if (policy_.ipfail) {
    for (const auto& n : nodes_) {
      if (n != excluding && IsEligible(n, g))
        best = std::max(best, Connectivity(n));
    }
  }
  auto usable = [&](const std::string& n) {
    return n != excluding && IsEligible(n, g) && (!policy_.ipfail || Connectivity(n) >= best);
  };
  // 1. A node the group was released to (an operator move, a failback).
  for (const auto& [name, peer] : peers_) {
    if (!peer.alive)
      continue;
    auto entry = PeerEntry(peer, g);
    if (entry.state == GroupState::kReleased && !entry.target.empty() && usable(entry.target)) {
      return entry.target;
    }
  }
  const Local& mine = local_groups_[g];
  if (mine.state == GroupState::kReleased && usable(mine.release_to))
    return mine.release_to;
  // 2. The preferred node. 3. The first eligible node in ha.cf order.
  if (usable(groups_[g].preferred_node))
    return groups_[g].preferred_node;
  for (const auto& n : nodes_) {
    if (usable(n))
      return n;
  }
  return {};
}

bool GroupArbiter::InSet(size_t g, MoveSet set, const std::string& node) const {
  bool home = groups_[g].preferred_node == node;
  return set == MoveSet::kAll || (set == MoveSet::kLocal && home) ||
         (set == MoveSet::kForeign && !home);
}

void GroupArbiter::SetState(size_t g, GroupState state, ArbiterOutput& out) {
  if (local_groups_[g].state != state) {
    out.report_changed = true;
    ++version_;
  }
  local_groups_[g].state = state;
}

void GroupArbiter::Start(size_t g, std::string reason, ArbiterOutput& out) {
  Local& l = local_groups_[g];
  const std::string& preferred = groups_[g].preferred_node;
  // Taken because its preferred node is away, or (ipfail) reaches fewer ping nodes: with
  // auto_failback on it goes back once that is over.
  l.failback_pending =
      preferred != local_ &&
      (!Alive(preferred) || (policy_.ipfail && Connectivity(preferred) < Connectivity(local_)));
  l.release_to.clear();
  l.unreachable_logged = false;
  l.stop_reason = std::move(reason);  // kept for the start command
  SetState(g, GroupState::kStarting, out);
  l.claiming = true;
  l.claim_version = version_;
  EvaluateClaim(g, out);
}

void GroupArbiter::EvaluateClaim(size_t g, ArbiterOutput& out) {
  Local& l = local_groups_[g];
  // Withdraw if somebody really holds it, or claims it and ranks first.
  for (const auto& [name, peer] : peers_) {
    if (!peer.alive)
      continue;
    GroupState s = PeerEntry(peer, g).state;
    bool beaten = (Holds(s) && s != GroupState::kStarting) ||
                  (s == GroupState::kStarting && Rank(name, g) < Rank(local_, g));
    if (beaten) {
      l.claiming = false;
      SetState(g, GroupState::kStopped, out);
      out.log.push_back({false, "group " + groups_[g].key + ": " + name +
                                    " holds or claims it first; not starting it here"});
      return;
    }
  }
  for (const auto& [name, peer] : peers_) {
    if (!peer.alive)
      continue;
    if (!peer.reported)
      return;
    auto seen = peer.report.seen.find(local_);
    if (seen == peer.report.seen.end() || seen->second < l.claim_version)
      return;
  }
  l.claiming = false;
  out.commands.push_back({Command::Kind::kStart, g, l.stop_reason});
}

void GroupArbiter::Stop(size_t g, std::string release_to, std::string reason, ArbiterOutput& out) {
  Local& l = local_groups_[g];
  l.release_to = std::move(release_to);
  l.stop_reason = reason;
  l.failback_pending = false;
  l.failback_ready_since.reset();
  SetState(g, GroupState::kStopping, out);
  out.commands.push_back({Command::Kind::kStop, g, std::move(reason)});
}

void GroupArbiter::EvaluateHeld(size_t g, ArbiterOutput& out) {
  const GroupSpec& spec = groups_[g];
  Local& l = local_groups_[g];
  if (shutting_down_) {
    std::string to = ChooseOwner(g, local_);
    Stop(g, to.empty() ? "-" : to, "hbd is stopping", out);
    return;
  }
  // Conflict: a live peer runs it too. A peer that is stopping (a release, or cleaning up a
  // copy left from before a restart) is giving it up; a claim in progress withdraws on seeing
  // ours; a peer stuck in stop-failed cannot be helped by stopping ours.
  std::vector<std::string> holders;
  for (const auto& [name, peer] : peers_) {
    if (peer.alive && PeerEntry(peer, g).state == GroupState::kRunning)
      holders.push_back(name);
  }
  if (!holders.empty()) {
    std::string winner = local_;
    for (const auto& h : holders) {
      if (Rank(h, g) < Rank(winner, g))
        winner = h;
    }
    std::string all = local_;
    for (const auto& h : holders)
      all += ", " + h;
    if (winner != local_) {
      out.log.push_back({true, "group " + spec.key + " runs on " + all +
                                   " at once (split brain); " + winner +
                                   " ranks first and keeps it, stopping it here"});
      Stop(g, "", "split brain: " + winner + " keeps it", out);
    } else if (l.stop_reason != "conflict:" + all) {
      l.stop_reason = "conflict:" + all;
      out.log.push_back({true, "group " + spec.key + " runs on " + all +
                                   " at once (split brain); this node ranks first and keeps "
                                   "it, the others stop it"});
    }
    return;
  }
  if (policy_.ipfail && worse_since_ && now_ - *worse_since_ >= policy_.ipfail_hold_down &&
      (!last_ipfail_move_ || now_ - *last_ipfail_move_ >= policy_.ipfail_hold_down)) {
    std::string better = BetterConnectedPeer(g);
    if (!better.empty()) {
      last_ipfail_move_ = now_;
      Stop(g, better,
           "ipfail: " + better + " reaches " + std::to_string(Connectivity(better)) +
               " ping node(s), this node " + std::to_string(Connectivity(local_)),
           out);
      return;
    }
  }
  const std::string& preferred = spec.preferred_node;
  bool failback_mode = policy_.auto_failback != config::AutoFailback::kOff;
  bool preferred_as_good = !policy_.ipfail || Connectivity(preferred) >= Connectivity(local_);
  if (!failback_mode || !l.failback_pending || preferred == local_ || !IsEligible(preferred, g) ||
      !preferred_as_good) {
    l.failback_ready_since.reset();  // any break starts the hold-down again
    return;
  }
  if (!l.failback_ready_since) {
    l.failback_ready_since = now_;
    if (policy_.failback_hold_down > Duration::zero()) {
      out.log.push_back(
          {false, "group " + spec.key + ": " + preferred +
                      " is back; auto_failback once it has stayed so for " +
                      std::to_string(
                          std::chrono::duration_cast<Millis>(policy_.failback_hold_down).count()) +
                      " ms"});
    }
  }
  if (now_ - *l.failback_ready_since >= policy_.failback_hold_down)
    Stop(g, preferred, "auto_failback: " + preferred + " is back", out);
}

void GroupArbiter::EvaluateFree(TimePoint now, size_t g, ArbiterOutput& out) {
  Local& l = local_groups_[g];
  const GroupSpec& spec = groups_[g];
  if (l.state == GroupState::kFailed) {
    if (!l.backoff_until || now < *l.backoff_until)
      return;
    l.backoff_until.reset();
    SetState(g, GroupState::kStopped, out);
    out.log.push_back({false, "group " + spec.key + ": start back-off over, eligible again"});
  }
  if (l.state == GroupState::kReleased) {
    bool runs_elsewhere = false;
    for (const auto& [name, peer] : peers_) {
      runs_elsewhere |= peer.alive && PeerEntry(peer, g).state == GroupState::kRunning;
    }
    bool nobody_else =
        LiveHolders(g).empty() && ChooseOwner(g, local_).empty() && AllPeersReported();
    if (!runs_elsewhere && !nobody_else)
      return;
    l.release_to.clear();
    SetState(g, GroupState::kStopped, out);
  }
  if (l.state != GroupState::kStopped)
    return;
  if (!LiveHolders(g).empty())
    l.unreachable_logged = false;
  const Placement placement = Place(g);
  if (!placement.chosen)
    return;
  if (placement.owner.empty() && policy_.ipfail && ReachesNoPingNode(local_) &&
      !l.unreachable_logged) {
    l.unreachable_logged = true;
    out.log.push_back({true, "group " + spec.key +
                                 ": not starting it: this node reaches no ping node (ipfail), "
                                 "and no live node that does can take it"});
  }
  if (placement.owner != local_)
    return;
  const std::string& preferred = spec.preferred_node;
  std::string reason = preferred == local_
                           ? "this is its preferred node"
                           : (Alive(preferred) ? "preferred node " + preferred + " cannot run it"
                                               : "preferred node " + preferred + " is not alive");
  Start(g, reason, out);
}

GroupArbiter::Placement GroupArbiter::Place(size_t g) const {
  const Local& l = local_groups_[g];
  auto list = [](const std::vector<std::string>& names) {
    std::string text;
    for (const auto& n : names)
      text += (text.empty() ? "" : ", ") + n;
    return text;
  };
  if (l.state == GroupState::kFailed)
    return {false, "", "start back-off after a failed start here"};
  if (l.state == GroupState::kReleased)
    return {false, "", "released to " + l.release_to + ", waiting for it to run there"};
  if (l.state != GroupState::kStopped)
    return {false, "", ""};
  if (shutting_down_)
    return {false, "", "this node is shutting down"};
  if (!comm_up_)
    return {false, "", "the cluster is forming (initdead)"};
  if (auto holders = LiveHolders(g); !holders.empty())
    return {false, "", ""};  // held elsewhere: not waiting
  std::vector<std::string> pending;
  for (const auto& [name, peer] : peers_) {
    if (peer.alive && !peer.reported)
      pending.push_back(name);
  }
  if (!pending.empty())
    return {false, "", "waiting for the group reports of " + list(pending)};
  if (policy_.ipfail && !AllConnectivityKnown()) {
    // Some node's first ping answers (or time-outs) are not in yet.
    if (!ConnectivityKnown(local_))
      pending.push_back(local_);
    for (const auto& [name, peer] : peers_) {
      if (peer.alive && !ConnectivityKnown(name))
        pending.push_back(name);
    }
    return {false, "", "waiting for the ping results (ipfail) of " + list(pending)};
  }
  const std::string owner = ChooseOwner(g);
  if (owner == local_)
    return {true, owner, ""};
  if (!owner.empty())
    return {true, owner, "to be started by " + owner};
  if (policy_.ipfail && ReachesNoPingNode(local_))
    return {true, "", "no node can run it: this node reaches no ping node (ipfail)"};
  if (policy_.ipfail && !PingEvidenceFresh())
    return {true, "", "waiting for a ping answer after a peer's death (ipfail)"};
  return {true, "", "no node can run it"};
}

ArbiterOutput GroupArbiter::SetConnectivity(TimePoint now, const std::string& node, int count) {
  auto it = connectivity_.find(node);
  if (it != connectivity_.end() && it->second == count)
    return {};
  connectivity_[node] = count;
  return Evaluate(now);
}

ArbiterOutput GroupArbiter::SetLastPingReply(TimePoint now, std::optional<TimePoint> last_reply) {
  bool was_fresh = PingEvidenceFresh();
  if (last_reply && (!last_ping_reply_ || *last_reply > *last_ping_reply_)) {
    // A gap that long breaks the run: any outage that made a peer look dead was longer.
    Duration gap = std::max<Duration>(2 * policy_.peer_keepalive, policy_.peer_deadtime / 2);
    if (!last_ping_reply_ || *last_reply - *last_ping_reply_ > gap)
      ping_run_start_ = *last_reply;
    last_ping_reply_ = last_reply;
  }
  now_ = std::max(now_, now);
  if (was_fresh || !PingEvidenceFresh())
    return {};
  return Evaluate(now);  // a takeover was waiting for this answer
}

ArbiterOutput GroupArbiter::Evaluate(TimePoint now, ArbiterOutput out) {
  now_ = std::max(now_, now);
  if (policy_.ipfail) {
    bool worse = false;
    for (const auto& [name, peer] : peers_) {
      worse |= peer.alive && peer.reported && ConnectivityKnown(local_) &&
               Connectivity(name) > Connectivity(local_);
    }
    if (!worse) {
      worse_since_.reset();
    } else if (!worse_since_) {
      worse_since_ = now_;
    }
  }
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (local_groups_[g].retired)
      continue;  // removed by a reload: only its stop (already under way) is left
    if (local_groups_[g].state == GroupState::kStarting && local_groups_[g].claiming) {
      EvaluateClaim(g, out);
      continue;
    }
    switch (local_groups_[g].state) {
      case GroupState::kStarting:
      case GroupState::kStopping:
      case GroupState::kStopFailed:
        break;  // in flight, or stuck until an operator steps in
      case GroupState::kRunning:
        EvaluateHeld(g, out);
        break;
      case GroupState::kStopped:
      case GroupState::kFailed:
      case GroupState::kReleased:
        EvaluateFree(now, g, out);
        break;
    }
  }
  return out;
}

ArbiterOutput GroupArbiter::OnCommUp(TimePoint now) {
  comm_up_ = true;
  return Evaluate(now);
}

ArbiterOutput GroupArbiter::OnNodeAlive(TimePoint now, const std::string& node) {
  auto it = peers_.find(node);
  if (it == peers_.end())
    return {};
  if (!it->second.alive) {
    it->second.alive = true;
    it->second.reported = false;
    it->second.report = NodeReport{};
  }
  return Evaluate(now);
}

ArbiterOutput GroupArbiter::OnNodeDead(TimePoint now, const std::string& node) {
  auto it = peers_.find(node);
  if (it == peers_.end())
    return {};
  if (it->second.alive)
    last_peer_death_ = now;
  it->second = Peer{};
  return Evaluate(now);
}

ArbiterOutput GroupArbiter::OnPeerReport(TimePoint now, const std::string& node,
                                         const NodeReport& report) {
  auto it = peers_.find(node);
  if (it == peers_.end())
    return {};
  if (it->second.reported && it->second.report == report)
    return {};
  ArbiterOutput out;
  if (!it->second.reported || it->second.report.version != report.version) {
    out.report_changed = true;  // our `seen` changed: tell the peer we have its news
  }
  it->second.reported = true;
  it->second.report = report;
  return Evaluate(now, std::move(out));
}

ArbiterOutput GroupArbiter::OnRunDone(TimePoint now, size_t g, RunOutcome outcome) {
  ArbiterOutput out;
  if (g >= groups_.size())
    return out;
  Local& l = local_groups_[g];
  const std::string& key = groups_[g].key;
  switch (outcome) {
    case RunOutcome::kRunning:
      l.failures = 0;
      SetState(g, GroupState::kRunning, out);
      break;
    case RunOutcome::kStopped:
      if (!l.giving_up) {
        SetState(g, l.release_to.empty() ? GroupState::kStopped : GroupState::kReleased, out);
        if (l.release_to == "-")
          l.release_to.clear();
        break;
      }
      [[fallthrough]];  // stopped because it kept failing here: as a failed start
    case RunOutcome::kStartFailed: {
      l.giving_up = false;
      ++l.failures;
      Duration backoff = policy_.start_failure_backoff;
      for (int i = 1; i < l.failures && backoff < policy_.max_backoff; ++i)
        backoff *= 2;
      backoff = std::min(backoff, policy_.max_backoff);
      l.backoff_until = now + backoff;
      SetState(g, GroupState::kFailed, out);
      out.log.push_back(
          {true, "group " + key + " failed to start here (failure " + std::to_string(l.failures) +
                     "); this node stays out of it for " +
                     std::to_string(std::chrono::duration_cast<Millis>(backoff).count() / 1000) +
                     " s and the next eligible node takes it"});
      break;
    }
    case RunOutcome::kStopFailed:
      SetState(g, GroupState::kStopFailed, out);
      out.log.push_back({true, "group " + key +
                                   " could not be stopped here; it stays held by this node so "
                                   "no other node starts a second copy"});
      break;
  }
  return Evaluate(now, std::move(out));
}

ArbiterOutput GroupArbiter::Standby(TimePoint now, MoveSet set, std::string& error) {
  std::vector<std::pair<size_t, std::string>> moves;
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (!InSet(g, set, local_))
      continue;
    GroupState s = local_groups_[g].state;
    if (s == GroupState::kStarting || s == GroupState::kStopping) {
      error = "group " + groups_[g].key + " is in transition here; try again when it settles";
      return {};
    }
    if (s != GroupState::kRunning)
      continue;
    std::string to = ChooseOwner(g, local_);
    if (to.empty()) {
      error = "no other live node can take group " + groups_[g].key;
      return {};
    }
    moves.emplace_back(g, to);
  }
  if (moves.empty()) {
    for (size_t g = 0; g < groups_.size(); ++g) {
      if (InSet(g, set, local_) && local_groups_[g].state == GroupState::kStopFailed) {
        error = "group " + groups_[g].key +
                " could not be stopped here (stop-failed); it stays here until an operator "
                "fixes it";
        return {};
      }
    }
    error = std::string("no ") + (set == MoveSet::kAll ? "" : ToString(set)) +
            (set == MoveSet::kAll ? "" : " ") + "group runs on this node";
    return {};
  }
  ArbiterOutput out;
  for (auto& [g, to] : moves)
    Stop(g, to, "hb_standby: moving it to " + to, out);
  return Evaluate(now, std::move(out));
}

ArbiterOutput GroupArbiter::Takeover(TimePoint now, MoveSet set, std::string& error,
                                     const std::string& only_key) {
  auto wanted = [&](size_t g) {
    return InSet(g, set, local_) && (only_key.empty() || groups_[g].key == only_key);
  };
  // A holder releases a group only from running (OnMoveRequest): refuse at once what it would
  // never answer, rather than leave hb_takeover waiting.
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (!wanted(g) || Holds(local_groups_[g].state))
      continue;
    for (const auto& holder : LiveHolders(g)) {
      GroupState s = PeerEntry(peers_.at(holder), g).state;
      if (s == GroupState::kStopFailed) {
        error = "group " + groups_[g].key + " could not be stopped on " + holder +
                " (stop-failed); it stays there until an operator fixes it";
        return {};
      }
      if (s == GroupState::kStarting || s == GroupState::kStopping) {
        error = "group " + groups_[g].key + " is in transition on " + holder +
                "; try again when it settles";
        return {};
      }
    }
  }
  ArbiterOutput out;
  bool any = false;
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (!wanted(g))
      continue;
    Local& l = local_groups_[g];
    if (Holds(l.state))
      continue;
    if (l.state == GroupState::kFailed || l.state == GroupState::kReleased) {
      l.backoff_until.reset();  // the operator wants it here
      l.release_to.clear();
      SetState(g, GroupState::kStopped, out);
    }
    any = true;
    for (const auto& holder : LiveHolders(g)) {
      out.requests.push_back({holder, groups_[g].key, local_});
    }
  }
  if (!any) {
    error = "every group of that set already runs here";
    return {};
  }
  return Evaluate(now, std::move(out));
}

ArbiterOutput GroupArbiter::OnMoveRequest(TimePoint now, const std::string& from,
                                          const std::string& key, const std::string& to) {
  auto g = GroupIndex(key);
  if (!g || local_groups_[*g].state != GroupState::kRunning || to == local_ || !Alive(to)) {
    return {};
  }
  ArbiterOutput out;
  Stop(*g, to, "hb_takeover on " + from + ": moving it to " + to, out);
  return Evaluate(now, std::move(out));
}

ArbiterOutput GroupArbiter::GiveUp(TimePoint now, size_t g, const std::string& reason) {
  if (g >= groups_.size() || local_groups_[g].state != GroupState::kRunning)
    return {};
  ArbiterOutput out;
  Stop(g, "", reason, out);
  local_groups_[g].giving_up = true;
  return Evaluate(now, std::move(out));
}

ArbiterOutput GroupArbiter::BeginProbe(size_t g) {
  ArbiterOutput out;
  if (g < groups_.size())
    SetState(g, GroupState::kStopping, out);
  return out;
}

ArbiterOutput GroupArbiter::Shutdown(TimePoint now) {
  shutting_down_ = true;
  return Evaluate(now);
}

ArbiterOutput GroupArbiter::Retire(TimePoint now, size_t g, const std::string& reason) {
  ArbiterOutput out;
  if (g >= groups_.size() || local_groups_[g].retired)
    return out;
  Local& l = local_groups_[g];
  l.retired = true;
  l.failback_pending = false;
  if (l.state == GroupState::kStarting && l.claiming) {
    l.claiming = false;
    SetState(g, GroupState::kStopped, out);
  } else if (l.state == GroupState::kRunning) {
    Stop(g, "", reason, out);
  }
  out.log.push_back({false, "group " + groups_[g].key + ": " + reason +
                                (l.state == GroupState::kStopping ? "; stopping it here" : "")});
  return Evaluate(now, std::move(out));
}

bool GroupArbiter::Retired(size_t g) const {
  return g < local_groups_.size() && local_groups_[g].retired;
}

ArbiterOutput GroupArbiter::Reconfigure(TimePoint now, std::vector<GroupSpec> groups,
                                        ArbiterPolicy policy, std::string& error) {
  auto kept = [&](size_t old) -> std::optional<size_t> {
    if (local_groups_[old].retired)
      return std::nullopt;
    for (size_t n = 0; n < groups.size(); ++n) {
      if (groups[n].key == groups_[old].key &&
          groups[n].preferred_node == groups_[old].preferred_node)
        return n;
    }
    return std::nullopt;
  };
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (!kept(g) && Holds(local_groups_[g].state)) {
      error = "group " + groups_[g].key + " is still held here (" +
              ToString(local_groups_[g].state) + "); it must be stopped before it is forgotten";
      return {};
    }
  }
  std::vector<Local> next(groups.size());
  size_t carried = 0;
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (auto n = kept(g)) {
      next[*n] = local_groups_[g];
      ++carried;
    }
  }
  ArbiterOutput out;
  if (carried != groups_.size() || groups.size() != groups_.size()) {
    out.report_changed = true;  // the reported group set changed
    ++version_;
  }
  groups_ = std::move(groups);
  local_groups_ = std::move(next);
  policy_ = policy;
  return Evaluate(now, std::move(out));
}

ArbiterOutput GroupArbiter::Tick(TimePoint now) {
  return Evaluate(now);
}

std::optional<TimePoint> GroupArbiter::NextDeadline() const {
  std::optional<TimePoint> next;
  if (policy_.ipfail && worse_since_) {
    TimePoint due = *worse_since_ + policy_.ipfail_hold_down;
    if (last_ipfail_move_)
      due = std::max(due, *last_ipfail_move_ + policy_.ipfail_hold_down);
    if (due > now_ && std::any_of(local_groups_.begin(), local_groups_.end(),
                                  [](const Local& l) { return l.state == GroupState::kRunning; })) {
      next = due;
    }
  }
  if (policy_.ipfail && ping_run_start_ && last_peer_death_) {
    TimePoint due = *ping_run_start_ + PingRunConfirmation();  // a takeover may wait for it
    if (due > now_ && (!next || due < *next))
      next = due;
  }
  for (const auto& l : local_groups_) {
    if (l.state == GroupState::kRunning && l.failback_ready_since) {
      TimePoint due = *l.failback_ready_since + policy_.failback_hold_down;
      if (due > now_ && (!next || due < *next))
        next = due;
    }
    if (l.state == GroupState::kFailed && l.backoff_until) {
      if (!next || *l.backoff_until < *next)
        next = l.backoff_until;
    }
  }
  return next;
}

NodeReport GroupArbiter::Report() const {
  NodeReport out;
  out.version = version_;
  for (const auto& [name, peer] : peers_) {
    if (peer.alive && peer.reported)
      out.seen[name] = peer.report.version;
  }
  for (size_t g = 0; g < groups_.size(); ++g) {
    const Local& l = local_groups_[g];
    GroupReportEntry e{l.state, l.state == GroupState::kReleased ? l.release_to : ""};
    out.groups[groups_[g].key] = e;
  }
  return out;
}

std::vector<GroupView> GroupArbiter::Groups() const {
  std::vector<GroupView> out;
  for (size_t g = 0; g < groups_.size(); ++g) {
    const Local& l = local_groups_[g];
    GroupView v;
    v.key = groups_[g].key;
    v.preferred_node = groups_[g].preferred_node;
    v.local_state = l.state;
    v.backoff_until = l.backoff_until;
    v.start_failures = l.failures;
    if (Holds(l.state)) {
      v.holder = local_;
      v.holder_state = l.state;
    } else if (auto holders = LiveHolders(g); !holders.empty()) {
      v.holder = holders.front();
      v.holder_state = PeerEntry(peers_.at(v.holder), g).state;
    }
    if (v.holder.empty())
      v.waiting = Place(g).waiting;
    out.push_back(std::move(v));
  }
  return out;
}

std::optional<size_t> GroupArbiter::GroupIndex(const std::string& key) const {
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (groups_[g].key == key)
      return g;
  }
  return std::nullopt;
}

bool GroupArbiter::Busy() const {
  return std::any_of(local_groups_.begin(), local_groups_.end(), [](const Local& l) {
    return l.state == GroupState::kStarting || l.state == GroupState::kStopping;
  });
}

bool GroupArbiter::ShutdownDone() const {
  return shutting_down_ && std::none_of(local_groups_.begin(), local_groups_.end(),
                                        [](const Local& l) { return Holds(l.state); });
}

}  // namespace hbd::arbiter
