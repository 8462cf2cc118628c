// The receive pipeline for cluster datagrams: bytes + the medium they came in on -> an accepted
// message with its origin, or the reason it was dropped. Checks run cheapest first: size and
// magic, framing, known source node, key index, digest, then the per-node replay window; the
// Message is built only for packets that pass. Counts every outcome. Keeps one ReplayWindow per
// source node across reconfiguration. Pure (no sockets, no clock); not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/cluster_config.h"
#include "wire/authenticator.h"
#include "wire/frame.h"
#include "wire/message.h"
#include "wire/reject_reason.h"
#include "wire/replay_window.h"

namespace hbd::wire {

struct Verdict {
  std::optional<RejectReason> rejected;  // set: drop the packet
  // True once the digest checked out: for accepted packets and for those the replay window
  // refused. A kDuplicate still proves the medium it came on works (link liveness).
  bool authenticated = false;
  std::string source;           // `src`; set when authenticated
  size_t medium = 0;            // as passed to Verify
  uint64_t generation = 0;      // `hg` (0 when absent); set when authenticated
  std::optional<uint64_t> seq;  // absent for NS_* messages; set when authenticated
  bool new_generation = false;  // accepted, and the source's hg went up: it restarted
  Message message;              // only when accepted

  bool accepted() const { return !rejected.has_value(); }
};

struct VerifierCounters {
  uint64_t accepted = 0;
  std::array<uint64_t, kRejectReasonCount> rejected{};

  uint64_t Rejected(RejectReason reason) const { return rejected[Index(reason)]; }
  uint64_t TotalRejected() const;
};

class PacketVerifier {
 public:
  explicit PacketVerifier(const config::ClusterConfig& config, Limits limits = Limits());

  // Takes new nodes, autojoin and keys; replay windows are kept.
  void Reconfigure(const config::ClusterConfig& config);

  Verdict Verify(std::string_view datagram, size_t medium);

  const VerifierCounters& counters() const { return counters_; }
  // The window of a source node, or null if nothing was accepted from it yet.
  const ReplayWindow* WindowOf(std::string_view node) const;
  // Forgets a node's window (e.g. after the node was deleted).
  void ForgetNode(std::string_view node);

 private:
  Verdict Reject(Verdict verdict, RejectReason reason);
  bool KnownSource(std::string_view source) const;

  Limits limits_;
  std::vector<std::string> nodes_;
  config::Autojoin autojoin_ = config::Autojoin::kNone;
  Authenticator authenticator_;
  std::map<std::string, ReplayWindow, std::less<>> windows_;
  VerifierCounters counters_;
  Frame frame_;  // reused so a rejected packet costs no allocation
};

}  // namespace hbd::wire
