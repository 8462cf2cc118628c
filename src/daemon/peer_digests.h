// PeerDigests: the configuration digest (config/config_digest.h) each live peer announces in its
// status messages, compared with ours. It says what to log when a peer's agreement with us
// changes (a mismatch once per change, not per message) and what status shows. Pure; not
// thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hbd::daemon {

// The status-message field carrying a node's configuration digest (Heartbeat peers carry unknown
// fields without harm, and never send it).
inline constexpr const char* kConfigDigestField = "hbd_cfg";

struct DigestLogLine {
  bool warning = false;  // a mismatch; else a notice that the files agree again
  std::string text;
};

class PeerDigests {
 public:
  explicit PeerDigests(std::string ours) : ours_(std::move(ours)) {}

  // A live peer announced `digest`: a line when it starts or stops differing from ours, or
  // differs in a new way.
  std::optional<DigestLogLine> OnPeer(const std::string& node, const std::string& digest);
  // Ours changed (a reload): a line for every peer whose agreement changed.
  std::vector<DigestLogLine> SetOurs(std::string ours);
  // The peer died or left: it is no longer compared.
  void Forget(const std::string& node) { peers_.erase(node); }

  const std::string& ours() const { return ours_; }
  std::optional<std::string> Of(const std::string& node) const;
  bool Mismatch(const std::string& node) const;

 private:
  std::optional<DigestLogLine> Compare(const std::string& node, const std::string& digest,
                                       const std::string& before, bool was_known);

  std::string ours_;
  std::map<std::string, std::string> peers_;
};

}  // namespace hbd::daemon
