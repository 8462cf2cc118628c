// MembershipProtocol: the part of Heartbeat's cluster protocol that keeps membership, as a pure
// core. It owns our identity on the wire (node, uuid, generation, sequence numbers), the
// LivenessTracker, and the replies Heartbeat peers expect: `repnodes` to a `reqnodes` (Heartbeat
// does not declare comm up without it), NS_ackmsg flow-control acknowledgements, retransmission
// of recent messages on NS_rexmit, and `shutdone` handling. The shell signs and sends what it
// returns, and passes in verified packets, ping replies, and the time (monotonic for decisions,
// wall-clock seconds only for the informational `ts` field). Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
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
  // duplicate (which still proves its link works).
  ProtocolOutput OnVerified(TimePoint now, uint64_t wall_seconds, const wire::Verdict& verdict,
                            const std::string& link);
  ProtocolOutput OnPingReply(TimePoint now, const std::string& address);
  ProtocolOutput Tick(TimePoint now);
  // We are leaving: `shutdone`, so peers mark us dead at once.
  ProtocolOutput Shutdown(uint64_t wall_seconds);
  // Reload: new timings apply at once.
  ProtocolOutput SetTimings(TimePoint now, const config::Timings& timings);

  const LivenessTracker& tracker() const { return tracker_; }
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

  LocalIdentity identity_;
  std::vector<std::string> nodes_;
  size_t ttl_nodes_;
  LivenessTracker tracker_;
  uint64_t seq_ = 0;
  std::deque<std::pair<uint64_t, wire::Message>> history_;
  std::map<uint64_t, TimePoint> last_rexmit_;
  struct PeerSeq {
    uint64_t generation = 0;
    uint64_t last_in_order = 0;
  };
  std::map<std::string, PeerSeq, std::less<>> peer_seq_;
};

}  // namespace hbd::membership
