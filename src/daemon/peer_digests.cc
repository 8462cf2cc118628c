#include "daemon/peer_digests.h"

namespace hbd::daemon {

std::optional<DigestLogLine> PeerDigests::Compare(const std::string& node,
                                                  const std::string& digest,
                                                  const std::string& before, bool was_known) {
  bool was_mismatch = was_known && before != ours_;
  bool mismatch = digest != ours_;
  if (mismatch && (!was_mismatch || !was_known)) {
    return DigestLogLine{true, "configuration differs from " + node + "'s (digest here " + ours_ +
                                   ", on " + node + " " + digest +
                                   "): compare hbd --check-config on both nodes"};
  }
  if (mismatch && digest != before) {
    return DigestLogLine{true, "configuration still differs from " + node + "'s (digest here " +
                                   ours_ + ", on " + node + " " + digest + ")"};
  }
  if (!mismatch && was_mismatch)
    return DigestLogLine{false, "configuration agrees with " + node + "'s again (" + ours_ + ")"};
  return std::nullopt;
}

std::optional<DigestLogLine> PeerDigests::OnPeer(const std::string& node,
                                                 const std::string& digest) {
  auto it = peers_.find(node);
  bool known = it != peers_.end();
  std::string before = known ? it->second : "";
  if (known && before == digest)
    return std::nullopt;
  peers_[node] = digest;
  return Compare(node, digest, before, known);
}

std::vector<DigestLogLine> PeerDigests::SetOurs(std::string ours) {
  std::vector<DigestLogLine> out;
  if (ours == ours_)
    return out;
  std::map<std::string, bool> was;
  for (const auto& [node, digest] : peers_)
    was[node] = digest != ours_;
  ours_ = std::move(ours);
  for (const auto& [node, digest] : peers_) {
    bool now = digest != ours_;
    if (now && !was[node]) {
      out.push_back({true, "configuration differs from " + node + "'s (digest here " + ours_ +
                               ", on " + node + " " + digest +
                               "): compare hbd --check-config on both nodes"});
    } else if (!now && was[node]) {
      out.push_back({false, "configuration agrees with " + node + "'s again (" + ours_ + ")"});
    }
  }
  return out;
}

std::optional<std::string> PeerDigests::Of(const std::string& node) const {
  auto it = peers_.find(node);
  if (it == peers_.end())
    return std::nullopt;
  return it->second;
}

bool PeerDigests::Mismatch(const std::string& node) const {
  auto it = peers_.find(node);
  return it != peers_.end() && it->second != ours_;
}

}  // namespace hbd::daemon
