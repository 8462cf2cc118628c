#include "wire/packet_verifier.h"

#include "wire/status_message.h"
#include "wire/text_codec.h"

namespace hbd::wire {
uint64_t VerifierCounters::TotalRejected() const {
  uint64_t total = 0;
  for (uint64_t n : rejected)
    total += n;
  return total;
}

PacketVerifier::PacketVerifier(const config::ClusterConfig& config, Limits limits)
    : limits_(limits), authenticator_(config.auth) {
  Reconfigure(config);
  frame_.fields.reserve(64);
}

void PacketVerifier::Reconfigure(const config::ClusterConfig& config) {
  nodes_ = config.nodes;
  autojoin_ = config.autojoin;
  authenticator_ = Authenticator(config.auth);
}

const ReplayWindow* PacketVerifier::WindowOf(std::string_view node) const {
  auto it = windows_.find(node);
  return it == windows_.end() ? nullptr : &it->second;
}

void PacketVerifier::ForgetNode(std::string_view node) {
  auto it = windows_.find(node);
  if (it != windows_.end())
    windows_.erase(it);
}

bool PacketVerifier::KnownSource(std::string_view source) const {
  if (autojoin_ != config::Autojoin::kNone)
    return true;
  for (const std::string& node : nodes_) {
    if (node == source)
      return true;
  }
  return false;
}

Verdict PacketVerifier::Reject(Verdict verdict, RejectReason reason) {
  ++counters_.rejected[Index(reason)];
  verdict.rejected = reason;
  return verdict;
}

Verdict PacketVerifier::Verify(std::string_view datagram, size_t medium) {
  Verdict verdict;
  verdict.medium = medium;
  if (auto error = ParseFrame(datagram, limits_, frame_))
    return Reject(std::move(verdict), *error);

  const FieldView* src = frame_.Find(field::kSource);
  if (src == nullptr || src->value.empty()) {
    return Reject(std::move(verdict), RejectReason::kNoSource);
  }
  if (!KnownSource(src->value))
    return Reject(std::move(verdict), RejectReason::kUnknownSource);

  if (auto error = authenticator_.Verify(frame_))
    return Reject(std::move(verdict), *error);
  verdict.authenticated = true;
  verdict.source.assign(src->value);

  const FieldView* hg = frame_.Find(field::kGeneration);
  if (hg != nullptr) {
    std::optional<uint64_t> generation = ParseHex(hg->value);
    if (!generation)
      return Reject(std::move(verdict), RejectReason::kBadGeneration);
    verdict.generation = *generation;
  }
  const FieldView* type = frame_.Find(field::kType);
  bool no_seq = type != nullptr && IsNoSeqType(type->value);
  if (!no_seq) {
    const FieldView* seq = frame_.Find(field::kSeq);
    std::optional<uint64_t> value = seq ? ParseHex(seq->value) : std::nullopt;
    if (!value || *value == 0)
      return Reject(std::move(verdict), RejectReason::kBadSequence);
    verdict.seq = *value;
  }

  // Judge the sequence before building the Message (duplicates are half the traffic with two
  // media), but record it only once the Message is built.
  auto found = windows_.find(verdict.source);
  const ReplayWindow* window = found == windows_.end() ? nullptr : &found->second;
  if (window != nullptr) {
    std::optional<RejectReason> error =
        no_seq ? window->CheckGeneration(verdict.generation)
               : window->Check(verdict.generation, *verdict.seq).reject;
    if (error)
      return Reject(std::move(verdict), *error);
  }
  Message message;
  if (auto error = FrameToMessage(frame_, message))
    return Reject(std::move(verdict), *error);
  if (!no_seq) {
    ReplayWindow& recorded = windows_[verdict.source];
    verdict.new_generation = recorded.Accept(verdict.generation, *verdict.seq).new_generation;
  }
  verdict.message = std::move(message);
  ++counters_.accepted;
  return verdict;
}

}  // namespace hbd::wire
