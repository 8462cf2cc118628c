// OutdateService: hbd's built-in dopd. The local DRBD fence-peer handler (drbd-peer-outdater)
// asks over the control socket to outdate RESOURCE on PEER; this service sends Heartbeat's
// `start_outdate` to the peer over the cluster links and answers with the peer's `outdate_rc`
// value (DRBD's fence-peer exit code), or 5 when the peer is down, unknown or silent. On the
// peer's side it runs `drbdadm outdate RESOURCE` and maps the result as dopd did. Message names
// and fields are Heartbeat's, so an hbd node and a Heartbeat node running dopd understand each
// other. Single-threaded (the io_context).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "resources/action_runner.h"
#include "util/asio.h"
#include "wire/message.h"

namespace hbd::daemon {

// DRBD's fence-peer exit codes, as dopd returned them.
inline constexpr int kPeerInconsistent = 3;
inline constexpr int kPeerOutdated = 4;
inline constexpr int kPeerUnreachable = 5;
inline constexpr int kPeerIsPrimary = 6;
inline constexpr int kOutdateFailed = 20;
inline constexpr int kRequestInProgress = 21;

// dopd's mapping of `drbdadm outdate` on the peer: 0 -> 4, 5 -> 3, 17 -> 6, else 20.
int DopValueForOutdateExit(int exit_code, bool killed);

class OutdateService {
 public:
  struct Hooks {
    std::function<void(wire::Message)> send;                  // to the cluster
    std::function<bool(const std::string& node)> peer_alive;  // a live normal peer, not us
  };
  using Reply = std::function<void(const nlohmann::json&)>;

  OutdateService(boost::asio::io_context& io, std::string local_node, bool enabled, Hooks hooks);

  // drbd-peer-outdater's request on the control socket; `reply` gets {"ok", "rc", "message"}.
  void Request(const std::string& resource, const std::string& peer, int timeout_ms, Reply reply);
  // `start_outdate` or `outdate_rc` from a peer (addressed to us).
  void OnMessage(const std::string& from, const wire::Message& message);
  // A peer died: waiting requests for it end with 5 at once.
  void OnPeerDead(const std::string& node);

 private:
  struct Pending {
    std::string peer;
    Reply reply;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };
  void Finish(const std::string& resource, int rc, const std::string& message);

  boost::asio::io_context& io_;
  std::string local_node_;
  bool enabled_;
  Hooks hooks_;
  resources::ActionRunner runner_;
  std::map<std::string, Pending> pending_;  // by resource
};

}  // namespace hbd::daemon
