// MembershipProtocol: the part of Heartbeat's cluster protocol that keeps membership, as a pure
// core. It owns our identity on the wire (node, uuid, generation, sequence numbers), the
// LivenessTracker, and the replies Heartbeat peers expect: `repnodes` to a `reqnodes` (Heartbeat
// does not declare comm up without it), NS_ackmsg flow-control acknowledgements (to Heartbeat
// peers only: hbd reads none), retransmission
// of recent messages on NS_rexmit, `shutdone` handling, and the resource report a nice_failback
// Heartbeat waits for (see kResourcesHeld). The shell signs and sends what it
// returns, and passes in verified packets, ping replies, and the time (monotonic for decisions,
// wall-clock seconds only for the informational `ts` field). Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "config/cluster_config.h"
#include "membership/liveness_tracker.h"
#include "util/time.h"
#include "wire/message.h"
#include "wire/packet_verifier.h"

namespace hbd::membership {

struct LocalIdentity {
  std::string node;         // lower case
  std::string uuid;         // 16 raw bytes
  uint64_t generation = 1;  // increases at every daemon start
};

// A message from a peer for the layers above membership (status messages with their extra
// fields, resource messages), in arrival order.
struct Delivered {
  std::string source;
  wire::Message message;
};

struct ProtocolOutput {
  std::vector<wire::Message> send;  // to sign and send on every medium, in order
  Events events;
  std::vector<Delivered> delivered;
  std::vector<std::string> restarted;  // peers seen with a new generation (they restarted)
};

// Field in our status messages announcing how many ping targets we reach (ipfail); Heartbeat
// peers carry unknown fields without harm.
inline constexpr const char* kPingCountField = "hbd_pingok";

// With auto_failback on|off (Heartbeat's nice_failback) a Heartbeat peer sends `starting` at its
// comm-up and stays in its start-up resource state until a peer answers with a `resource` report;
// until then it defers its own graceful shutdown for ever ("Shutdown delayed until current
// resource activity finishes") and never sends `shutdone`. hbd reports what it holds in
// Heartbeat's terms (none, local, foreign, all; set by the resource manager through
// SetResourcesHeld) as settled: `t=resource rsc_hold=... rtype=full isstable=1`, once at our
// comm-up, in answer to every `starting`, and when the holding changes. With auto_failback
// legacy Heartbeat neither sends nor reads these, and neither do we.
inline constexpr const char* kResourcesHeld = "none";  // until the resource manager says

class MembershipProtocol {
 public:
  MembershipProtocol(const config::ClusterConfig& config, LocalIdentity identity, TimePoint start);

  // Our status message; the shell calls it every keepalive, and at once when what it carries
  // changes. `decorate` adds fields of the layers above (the group report).
  ProtocolOutput Heartbeat(TimePoint now, uint64_t wall_seconds,
                           const std::function<void(wire::Message&)>& decorate = {});
  // Any other message of ours (e.g. a resource request): stamped and returned for sending.
  ProtocolOutput Send(wire::Message message, uint64_t wall_seconds);
  // A datagram whose digest checked out: accepted, or refused by the replay window as a
  // duplicate (which still proves its link works). Other verdicts (unauthenticated, a replay, an
  // old generation) change nothing.
  ProtocolOutput OnVerified(TimePoint now, uint64_t wall_seconds, const wire::Verdict& verdict,
                            const std::string& link);
  ProtocolOutput OnPingReply(TimePoint now, const std::string& address);
  ProtocolOutput Tick(TimePoint now);
  // We are leaving: `shutdone`, so peers mark us dead at once. A peer's `shutdone` marks it dead
  // at once, and it stays dead until it comes back with a higher generation (a restart).
  ProtocolOutput Shutdown(uint64_t wall_seconds);
  // Reload: new timings apply at once.
  ProtocolOutput SetTimings(TimePoint now, const config::Timings& timings);

  // What this node holds, in Heartbeat's words (none, local, foreign, all); a change is
  // reported to Heartbeat peers with the next output.
  void SetResourcesHeld(const std::string& held);

  const LivenessTracker& tracker() const { return tracker_; }
  // True when `node`'s last status carried kPingCountField (it runs hbd, and reports its ping
  // connectivity once settled).
  bool IsHbdPeer(std::string_view node) const { return hbd_peers_.contains(node); }
  const LocalIdentity& identity() const { return identity_; }
  uint64_t last_seq() const { return seq_; }

  static constexpr size_t kHistorySize = 500;  // messages kept for retransmission
  static constexpr int kMaxRexmitPerRequest = 50;

 private:
  // Adds the control fields; seq-carrying messages get the next seq and go into the history.
  wire::Message Stamp(wire::Message message, uint64_t wall_seconds);
  void HandleMessage(TimePoint now, uint64_t wall, const wire::Message& message,
                     const std::string& source, ProtocolOutput& out);
  void MaybeAck(const std::string& source, const wire::Message& message, uint64_t wall,
                ProtocolOutput& out);
  void Retransmit(TimePoint now, const wire::Message& request, uint64_t wall, ProtocolOutput& out);
  std::string LocalStatusWord() const;
  void Append(Events events, ProtocolOutput& out);
  // Sends the resource report if comm-up or a `starting` asked for one (nice_failback only).
  void SendDueResourceReport(uint64_t wall, ProtocolOutput& out);

  LocalIdentity identity_;
  std::vector<std::string> nodes_;
  size_t ttl_nodes_;
  bool nice_failback_;
  bool resource_report_due_ = false;
  std::string resources_held_ = kResourcesHeld;
  LivenessTracker tracker_;
  uint64_t seq_ = 0;
  std::deque<std::pair<uint64_t, wire::Message>> history_;
  std::map<uint64_t, TimePoint> last_rexmit_;
  struct PeerSeq {
    uint64_t generation = 0;
    uint64_t last_in_order = 0;
  };
  std::map<std::string, PeerSeq, std::less<>> peer_seq_;
  // Peers whose last status carried kPingCountField, i.e. that run hbd. hbd reads no NS_ackmsg
  // (it has no API clients to pause), so they get no acks: in an N-node cluster acks are
  // (N-1)/10 of every node's sends, and every node receives every ack (most of the traffic at 32
  // nodes). Heartbeat peers still get one ack per ten messages for their flow control.
  std::set<std::string, std::less<>> hbd_peers_;
  // Peers that sent `shutdone`, with the generation that said it: their status messages of that
  // generation no longer count as signs of life.
  std::map<std::string, uint64_t, std::less<>> departed_;
};

}  // namespace hbd::membership
