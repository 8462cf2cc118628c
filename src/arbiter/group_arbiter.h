// GroupArbiter: decides which node runs each haresources group, as a pure core. Every node runs
// the same deterministic rules on what it knows: which nodes are alive (from the liveness
// tracker), what each live peer says it holds (its report, carried in every status message), and
// what its own start/stop runs ended with. It returns commands (start or stop a group here),
// move requests for peers (hb_takeover) and log lines. The shell runs the commands and feeds the
// outcomes back. Not thread-safe.
//
// The rules (a group never runs on two nodes that see each other):
// * A node starts a group only when comm is up, no live node holds it (starting, running,
//   stopping or stop-failed), every live peer has reported since it came alive (so we know what
//   it holds), and this node is the group's owner: a node a peer released the group to, else the
//   preferred node if eligible, else the first eligible node in ha.cf order. Eligible: alive and
//   not failed (start back-off) or released (stepped aside) for that group.
// * Views can be stale (reports in flight), so taking a group is a claim first: the node reports
//   `starting` and runs its start only once every live peer's report shows it has seen that
//   claim; two claims meet, the one ranked first (preferred node, then ha.cf order) stays and
//   the other withdraws. With no other live node (a two-node failover) there is nothing to wait
//   for and the start runs at once.
// * Handover is ordered: the releasing node stops the whole group and reports `released` before
//   anyone else starts it.
// * Node death: a dead node holds nothing, so the group's owner among the survivors starts it.
// * Two live nodes both holding a group (a healed partition, or a race): the one ranked first
//   (preferred node, then ha.cf order) keeps it, the other stops its copy; logged as CRIT.
// * auto_failback on (and legacy): a node that took a group because its preferred node was away
//   hands it back once that node is alive and has reported, and has stayed so (and, with ipfail,
//   as well connected) for the failback hold-down. off: groups stay.
// * ipfail (ping nodes configured): free groups are placed only once every live node's ping
//   connectivity is known (its targets have all answered or timed out), so a node whose first
//   ping answer is late is not passed over at start-up. A node that reaches no ping node is not
//   eligible: it starts nothing, and nobody hands it a group. After a peer's death a node takes
//   over only with fresh evidence that its own network works: a ping answer from after the dead
//   peer's next packet was due (a node cut off from everything sees its peer die before its
//   ping nodes time out, and must not take the group from a peer that may be serving), from a
//   run of answers without a gap that has lasted two keepalives (when a cut-off node's network
//   comes back, its first ping answer may arrive just before the peer's next keepalive).
// * A start that fails stops what it started (the sequencer does that), marks the group failed
//   here for a back-off that doubles with every failure, and the next eligible node takes it.
// * A stop that fails (after retries) leaves the group stop-failed here: still held, so no other
//   node starts it until an operator steps in; the shell runs the configured escalation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "arbiter/group_state.h"
#include "config/cluster_config.h"
#include "util/time.h"

namespace hbd::arbiter {

enum class MoveSet { kAll, kLocal, kForeign };  // Heartbeat's hb_standby sets (failback=foreign)
std::optional<MoveSet> ParseMoveSet(std::string_view text);
const char* ToString(MoveSet set);

// How a start or stop of a group ended (from the group sequencer).
enum class RunOutcome { kRunning, kStopped, kStartFailed, kStopFailed };

struct GroupSpec {
  std::string key;  // the haresources group key (its first resource)
  std::string preferred_node;
};

// SetConnectivity values besides a count of ping nodes reached (>= 0).
inline constexpr int kConnectivityUnknown = -1;      // not settled yet: free groups wait for it
inline constexpr int kConnectivityNotReported = -2;  // never reported (a Heartbeat node):
                                                     // eligible, compared as 0

struct ArbiterPolicy {
  config::AutoFailback auto_failback = config::AutoFailback::kOff;
  Duration start_failure_backoff = std::chrono::seconds(30);  // doubles per failure
  Duration max_backoff = std::chrono::minutes(10);
  // ipfail: a node that reaches fewer ping nodes than a live peer hands its groups to the
  // better-connected one once the difference has lasted `ipfail_hold_down`; groups are placed
  // on the best-connected eligible nodes; equal connectivity changes nothing.
  bool ipfail = false;
  Duration ipfail_hold_down = std::chrono::seconds(1);
  // deadtime and keepalive: a peer declared dead was last heard at least `peer_deadtime`
  // before, and its next packet was due `peer_keepalive` after that. ipfail's takeover needs a
  // ping answer from after that moment.
  Duration peer_deadtime = Duration::zero();
  Duration peer_keepalive = Duration::zero();
  // auto_failback waits until the preferred node has been continuously eligible (alive, not
  // failed) and, with ipfail, at least as well connected as this node for this long: a node
  // whose links flap gets its groups back once, when it has become stable, not at every return.
  Duration failback_hold_down = Duration::zero();
};

struct Command {
  enum class Kind { kStart, kStop } kind = Kind::kStart;
  size_t group = 0;
  std::string reason;  // for the log: "node2 is dead", "hb_standby", "auto_failback to node1"
};

struct MoveRequest {  // ask `holder` to release `group_key` to `to` (hb_takeover)
  std::string holder;
  std::string group_key;
  std::string to;
};

struct LogLine {
  bool critical = false;
  std::string text;
};

struct ArbiterOutput {
  std::vector<Command> commands;
  std::vector<MoveRequest> requests;
  std::vector<LogLine> log;
  bool report_changed = false;  // announce our report now, not only at the next keepalive
};

// One group as status tools show it.
struct GroupView {
  std::string key;
  std::string preferred_node;
  GroupState local_state = GroupState::kStopped;
  std::string holder;  // a live node that holds it (us included), or ""
  GroupState holder_state = GroupState::kStopped;
  std::optional<TimePoint> backoff_until;
  int start_failures = 0;
  // Nobody holds it: why it is not started here ("waiting for the group reports of node2",
  // "to be started by node1", "no node can run it: ..."); empty when it is about to start here.
  std::string waiting;
};

class GroupArbiter {
 public:
  // `first_version` seeds the report version; give a value that grows across restarts (e.g.
  // the generation shifted left) so peers never mistake an old acknowledgement for a new one.
  GroupArbiter(std::string local_node, std::vector<std::string> nodes,
               std::vector<GroupSpec> groups, ArbiterPolicy policy, uint64_t first_version = 1);

  ArbiterOutput OnCommUp(TimePoint now);
  ArbiterOutput OnNodeAlive(TimePoint now, const std::string& node);
  ArbiterOutput OnNodeDead(TimePoint now, const std::string& node);
  // A peer's report. Groups it does not list count as stopped.
  ArbiterOutput OnPeerReport(TimePoint now, const std::string& node, const NodeReport& report);
  ArbiterOutput OnRunDone(TimePoint now, size_t group, RunOutcome outcome);
  // Operator moves on this node. Errors (nothing to move, nobody to take it) are returned as
  // text with an empty output.
  ArbiterOutput Standby(TimePoint now, MoveSet set, std::string& error);
  // `only_key`, when given, limits the takeover to that group (hbctl force-promote).
  ArbiterOutput Takeover(TimePoint now, MoveSet set, std::string& error,
                         const std::string& only_key = "");
  ArbiterOutput OnMoveRequest(TimePoint now, const std::string& from, const std::string& key,
                              const std::string& to);
  // Monitoring found the group broken beyond repair here: stop it, then treat it as a failed
  // start (back-off, the next eligible node takes it).
  ArbiterOutput GiveUp(TimePoint now, size_t group, const std::string& reason);
  // At startup the shell checks whether a group's resources already run here (hbd was killed
  // and restarted); until it reports the outcome with OnRunDone (kStopped after cleaning up, or
  // kStopFailed), the group counts as held here, so no peer starts a second copy meanwhile.
  ArbiterOutput BeginProbe(size_t group);
  // Leaving the cluster: release every group, take none.
  ArbiterOutput Shutdown(TimePoint now);
  ArbiterOutput Tick(TimePoint now);
  // How many ping targets `node` (this node or a peer) reaches now (ipfail), or
  // kConnectivityUnknown / kConnectivityNotReported.
  ArbiterOutput SetConnectivity(TimePoint now, const std::string& node, int count);
  // When this node last had an answer from any of its ping targets (ipfail).
  ArbiterOutput SetLastPingReply(TimePoint now, std::optional<TimePoint> last_reply);

  // Reload, in two steps (the shell waits between them until nothing runs here):
  // 1. Retire(g) for every group that was removed from haresources or whose line changed: it is
  //    stopped here if it runs here (a claim in progress is withdrawn) and never started here
  //    again. Its state keeps being reported until step 2, so peers see the stop.
  // 2. Reconfigure(groups, policy): the new group set. Groups are matched by key: a group kept
  //    (same key, same preferred node, not retired) keeps its state, back-off and what peers
  //    say of it; a group that is not in `groups` (or was retired) is forgotten; a new one
  //    starts stopped and is placed by the normal rules. Peers' report entries for keys we do
  //    not know are ignored. Refused (error set, nothing changed) while a group to be forgotten
  //    is still held here (starting, running, stopping or stop-failed): stop it first.
  ArbiterOutput Retire(TimePoint now, size_t group, const std::string& reason);
  ArbiterOutput Reconfigure(TimePoint now, std::vector<GroupSpec> groups, ArbiterPolicy policy,
                            std::string& error);
  bool Retired(size_t group) const;

  std::optional<TimePoint> NextDeadline() const;
  NodeReport Report() const;
  std::vector<GroupView> Groups() const;
  std::optional<size_t> GroupIndex(const std::string& key) const;
  bool Busy() const;          // a start or stop is running here
  bool ShutdownDone() const;  // Shutdown() was called and nothing is held here any more
  const std::string& local_node() const { return local_; }

 private:
  struct Local {
    GroupState state = GroupState::kStopped;
    std::string release_to;  // reported with kReleased
    bool failback_pending = false;
    std::optional<TimePoint> failback_ready_since;  // failback conditions met without a break
    int failures = 0;
    std::optional<TimePoint> backoff_until;
    std::string stop_reason;
    bool giving_up = false;  // stopping because it keeps failing here (monitoring)
    bool claiming = false;   // kStarting, waiting for every live peer to see the claim
    uint64_t claim_version = 0;
    bool retired = false;             // removed by a reload: stopped here, never started again
    bool unreachable_logged = false;  // "no node reaches a ping node" said for this outage
  };
  struct Peer {
    bool alive = false;
    bool reported = false;  // a report arrived since it came alive
    NodeReport report;
  };

  // Where a free group goes now: `chosen` when every input placement needs is in (reports,
  // ipfail's connectivity), then `owner` (maybe "" or this node); `waiting` says what holds a
  // start here back, in words for status tools.
  struct Placement {
    bool chosen = false;
    std::string owner;
    std::string waiting;
  };
  Placement Place(size_t g) const;
  ArbiterOutput Evaluate(TimePoint now, ArbiterOutput out = {});
  void EvaluateHeld(size_t g, ArbiterOutput& out);
  void EvaluateFree(TimePoint now, size_t g, ArbiterOutput& out);
  void EvaluateClaim(size_t g, ArbiterOutput& out);
  GroupReportEntry PeerEntry(const Peer& peer, size_t g) const;
  std::vector<std::string> LiveHolders(size_t g) const;  // peers only
  bool AllPeersReported() const;
  bool IsEligible(const std::string& node, size_t g) const;
  std::string ChooseOwner(size_t g, const std::string& excluding = "") const;
  int Rank(const std::string& node, size_t g) const;
  bool InSet(size_t g, MoveSet set, const std::string& node) const;
  void Start(size_t g, std::string reason, ArbiterOutput& out);
  void Stop(size_t g, std::string release_to, std::string reason, ArbiterOutput& out);
  void SetState(size_t g, GroupState state, ArbiterOutput& out);
  bool Alive(const std::string& node) const;
  int Connectivity(const std::string& node) const;  // 0 when unknown or not reported
  bool ConnectivityKnown(const std::string& node) const;
  bool AllConnectivityKnown() const;                      // this node and every live peer
  bool ReachesNoPingNode(const std::string& node) const;  // known, and zero
  bool PingEvidenceFresh() const;
  Duration PingRunConfirmation() const { return 2 * policy_.peer_keepalive; }
  std::string BetterConnectedPeer(size_t g) const;  // ipfail: the best peer better than us

  std::string local_;
  std::vector<std::string> nodes_;
  std::vector<GroupSpec> groups_;
  ArbiterPolicy policy_;
  std::vector<Local> local_groups_;
  std::map<std::string, Peer> peers_;
  uint64_t version_;
  std::map<std::string, int> connectivity_;
  std::optional<TimePoint> worse_since_;  // ipfail: since when a live peer reaches more
  std::optional<TimePoint> last_ipfail_move_;
  std::optional<TimePoint> last_ping_reply_;
  std::optional<TimePoint> ping_run_start_;  // first answer of the current run without a gap
  std::optional<TimePoint> last_peer_death_;
  TimePoint now_{};
  bool comm_up_ = false;
  bool shutting_down_ = false;
};

}  // namespace hbd::arbiter
