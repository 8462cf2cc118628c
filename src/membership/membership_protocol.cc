#include "membership/membership_protocol.h"

#include <charconv>
#include <functional>

#include "wire/status_message.h"
#include "wire/text_codec.h"

namespace hbd::membership {
namespace {

constexpr auto kRexmitSpacing = std::chrono::milliseconds(240);

std::optional<uint64_t> ParseDecimal(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

// Heartbeat picks a random ack trigger per peer; a stable hash spreads peers the same way and
// keeps the core deterministic.
uint64_t AckTrigger(std::string_view peer) {
  return std::hash<std::string_view>{}(peer) % 10;
}

}  // namespace

MembershipProtocol::MembershipProtocol(const config::ClusterConfig& config, LocalIdentity identity,
                                       TimePoint start)
    : identity_(std::move(identity)),
      nodes_(config.nodes),
      ttl_nodes_(config.nodes.size() + config.ping_targets.size()),
      nice_failback_(config.auto_failback != config::AutoFailback::kLegacy),
      tracker_(SetupFromConfig(config, identity_.node), start) {}

void MembershipProtocol::SetResourcesHeld(const std::string& held) {
  if (held == resources_held_ || held == "transition")
    return;
  resources_held_ = held;
  resource_report_due_ = nice_failback_ && tracker_.CommUp();
}

std::string MembershipProtocol::LocalStatusWord() const {
  return tracker_.CommUp() ? "active" : "up";
}

void MembershipProtocol::Append(Events events, ProtocolOutput& out) {
  for (auto& e : events) {
    if (e.kind == EventKind::kCommUp && nice_failback_)
      resource_report_due_ = true;
    out.events.push_back(std::move(e));
  }
}

void MembershipProtocol::SendDueResourceReport(uint64_t wall, ProtocolOutput& out) {
  if (!resource_report_due_)
    return;
  resource_report_due_ = false;
  wire::Message report;
  report.Add(wire::field::kType, "resource");
  report.Add(wire::field::kResources, resources_held_);
  report.Add(wire::field::kResourceReportType, "full");
  report.Add(wire::field::kIsStable, "1");
  out.send.push_back(Stamp(std::move(report), wall));
}

wire::Message MembershipProtocol::Stamp(wire::Message message, uint64_t wall_seconds) {
  wire::ControlFields control;
  control.node = identity_.node;
  control.uuid = identity_.uuid;
  control.generation = identity_.generation;
  control.wall_seconds = wall_seconds;
  control.ttl = wire::HeartbeatTtl(ttl_nodes_);
  auto type = message.Get(wire::field::kType);
  bool carries_seq = !type || !wire::IsNoSeqType(*type);
  if (carries_seq)
    control.seq = ++seq_;
  wire::AddControlFields(message, control);
  if (carries_seq) {
    history_.emplace_back(seq_, message);
    if (history_.size() > kHistorySize)
      history_.pop_front();
  }
  return message;
}

ProtocolOutput MembershipProtocol::Send(wire::Message message, uint64_t wall_seconds) {
  ProtocolOutput out;
  out.send.push_back(Stamp(std::move(message), wall_seconds));
  return out;
}

ProtocolOutput MembershipProtocol::Heartbeat(TimePoint now, uint64_t wall_seconds,
                                             const std::function<void(wire::Message&)>& decorate) {
  ProtocolOutput out;
  Append(tracker_.Tick(now), out);
  wire::Message status = wire::BuildStatusMessage(
      LocalStatusWord(), tracker_.timings().deadtime,
      wire::ControlFields{identity_.node, identity_.uuid, 0, identity_.generation, wall_seconds});
  // BuildStatusMessage put control fields in; Stamp overwrites them with the real seq and ttl.
  // "-" until every ping target has answered or timed out: peers then know this node runs hbd
  // but wait for its real count before placing groups (ipfail).
  status.Set(kPingCountField, tracker_.PingSettled() ? std::to_string(tracker_.PingConnectivity())
                                                     : std::string("-"));
  if (decorate)
    decorate(status);
  out.send.push_back(Stamp(std::move(status), wall_seconds));
  SendDueResourceReport(wall_seconds, out);  // comm-up in a Tick() (initdead) left it due
  return out;
}

ProtocolOutput MembershipProtocol::OnVerified(TimePoint now, uint64_t wall_seconds,
                                              const wire::Verdict& verdict,
                                              const std::string& link) {
  ProtocolOutput out;
  if (!verdict.authenticated)
    return out;
  // A copy of a message already accepted (another medium) proves its link works; a replay of an
  // old seq or an old generation proves nothing: anyone who captured it can send it again.
  if (!verdict.accepted() && verdict.rejected != wire::RejectReason::kDuplicate)
    return out;
  const bool own = verdict.source == identity_.node;
  // After `shutdone` the leaving process goes on sending status for a moment (Heartbeat: about
  // 2 s while it stops its children); only a new generation, a restart, brings the node back.
  bool departed = false;
  if (auto it = departed_.find(verdict.source); it != departed_.end()) {
    if (verdict.generation > it->second)
      departed_.erase(it);
    else
      departed = true;
  }
  Packet packet;
  packet.node = verdict.source;
  packet.link = link;
  packet.first_copy = verdict.accepted();
  if (verdict.accepted() && !departed) {
    const wire::Message& m = verdict.message;
    if (m.Get(wire::field::kType) == "status") {
      if (auto st = m.Get(wire::field::kStatus))
        packet.status = std::string(*st);
      if (auto dt = m.Get(wire::field::kDeadtime)) {
        if (auto ms = wire::ParseHex(*dt))
          packet.deadtime = Millis(static_cast<int64_t>(*ms));
      }
    }
  }
  Append(tracker_.OnPacket(now, packet), out);
  if (!own && verdict.new_generation)
    out.restarted.push_back(verdict.source);
  if (!own && verdict.accepted()) {
    HandleMessage(now, wall_seconds, verdict.message, verdict.source, out);
    if (verdict.message.Get(wire::field::kType) == "shutdone")
      departed_[verdict.source] = verdict.generation;
  }
  SendDueResourceReport(wall_seconds, out);
  return out;
}

void MembershipProtocol::HandleMessage(TimePoint now, uint64_t wall, const wire::Message& message,
                                       const std::string& source, ProtocolOutput& out) {
  auto type = message.Get(wire::field::kType).value_or("");
  auto dest = message.Get(wire::field::kDest);
  const bool to_us = !dest || *dest == identity_.node;
  if (type == "status") {
    auto count = message.Get(kPingCountField);
    if (count) {
      hbd_peers_.insert(source);
      if (auto n = ParseDecimal(*count); n && *n < 1000) {
        Append(tracker_.OnPeerPingCount(source, static_cast<int>(*n)), out);
      }
    } else if (auto it = hbd_peers_.find(source); it != hbd_peers_.end()) {
      hbd_peers_.erase(it);  // the node runs Heartbeat now
    }
  }
  MaybeAck(source, message, wall, out);
  if (!to_us)
    return;
  if (type == "shutdone") {
    Append(tracker_.OnNodeShutdown(now, source), out);
    out.delivered.push_back({source, message});
  } else if (type == "starting") {
    resource_report_due_ = resource_report_due_ || nice_failback_;
  } else if (type == "reqnodes" && dest) {
    wire::Message reply;
    reply.Add(wire::field::kDest, source);
    reply.Add(wire::field::kType, "repnodes");
    std::string list;
    for (const auto& n : nodes_)
      list += n + " ";
    reply.Add("nodelist", list);
    reply.Add("delnodelist", " ");
    if (const auto* uuid = message.Find(wire::field::kSourceUuid)) {
      reply.Add(wire::field::kDestUuid, uuid->value, wire::FieldType::kBinary);
    }
    out.send.push_back(Stamp(std::move(reply), wall));
  } else if (type == "NS_rexmit" && dest) {
    Retransmit(now, message, wall, out);
  } else if (type.substr(0, 3) != "NS_") {
    out.delivered.push_back({source, message});
  }
}

void MembershipProtocol::MaybeAck(const std::string& source, const wire::Message& message,
                                  uint64_t wall, ProtocolOutput& out) {
  auto seq_text = message.Get(wire::field::kSeq);
  if (!seq_text)
    return;
  auto seq = wire::ParseHex(*seq_text);
  auto hg = wire::ParseHex(message.Get(wire::field::kGeneration).value_or("0"));
  if (!seq || !hg)
    return;
  PeerSeq& peer = peer_seq_[source];
  if (*hg != peer.generation)
    peer = PeerSeq{*hg, 0};
  if (peer.last_in_order != 0 && *seq != peer.last_in_order + 1) {
    if (*seq > peer.last_in_order)
      peer.last_in_order = *seq;  // a gap: start again from here
    return;
  }
  peer.last_in_order = *seq;
  if (*seq % 10 != AckTrigger(source) || hbd_peers_.contains(source))
    return;
  wire::Message ack;
  ack.Add(wire::field::kType, "NS_ackmsg");
  ack.Add(wire::field::kDest, source);
  ack.Add(wire::field::kAckSeq, wire::FormatHex(*seq));
  if (const auto* uuid = message.Find(wire::field::kSourceUuid)) {
    ack.Add(wire::field::kDestUuid, uuid->value, wire::FieldType::kBinary);
  }
  out.send.push_back(Stamp(std::move(ack), wall));
}

void MembershipProtocol::Retransmit(TimePoint now, const wire::Message& request, uint64_t wall,
                                    ProtocolOutput& out) {
  auto first = ParseDecimal(request.Get("firstseq").value_or(""));
  auto last = ParseDecimal(request.Get("lastseq").value_or(""));
  if (!first || !last || *last < *first)
    return;
  auto source = std::string(request.Get(wire::field::kSource).value_or(""));
  int sent = 0;
  for (uint64_t s = *first; s <= *last && sent < kMaxRexmitPerRequest; ++s, ++sent) {
    if (s > seq_)
      break;  // never sent: nothing to do
    auto it = std::find_if(history_.begin(), history_.end(),
                           [s](const auto& entry) { return entry.first == s; });
    if (it == history_.end()) {
      wire::Message nak;
      nak.Add(wire::field::kType, "NS_nak_rexmit");
      nak.Add(wire::field::kDest, source);
      nak.Add("firstseq", wire::FormatHex(s));
      nak.Add(wire::field::kInfo,
              history_.empty() || s < history_.front().first ? "seqno too low" : "seqno not found");
      out.send.push_back(Stamp(std::move(nak), wall));
      continue;
    }
    auto& when = last_rexmit_[s];
    if (when != TimePoint{} && now - when < kRexmitSpacing)
      continue;
    when = now;
    out.send.push_back(it->second);  // byte-identical re-encoding: same seq, hg and ts
  }
  while (last_rexmit_.size() > kHistorySize)
    last_rexmit_.erase(last_rexmit_.begin());
}

ProtocolOutput MembershipProtocol::OnPingReply(TimePoint now, const std::string& address) {
  ProtocolOutput out;
  Append(tracker_.OnPingReply(now, address), out);
  return out;
}

ProtocolOutput MembershipProtocol::Tick(TimePoint now) {
  ProtocolOutput out;
  Append(tracker_.Tick(now), out);
  return out;
}

ProtocolOutput MembershipProtocol::SetTimings(TimePoint now, const config::Timings& timings) {
  ProtocolOutput out;
  Append(tracker_.SetTimings(now, timings), out);
  return out;
}

ProtocolOutput MembershipProtocol::Shutdown(uint64_t wall_seconds) {
  ProtocolOutput out;
  wire::Message bye;
  bye.Add(wire::field::kType, "shutdone");
  bye.Add(wire::field::kStatus, "dead");
  out.send.push_back(Stamp(std::move(bye), wall_seconds));
  return out;
}

}  // namespace hbd::membership
