// NodeDaemon: the thin shell around the membership core and the resource manager. It owns the
// io_context's timers (one keepalive timer, one timer re-armed at the tracker's next deadline),
// the heartbeat media, the ICMP pinger, the control socket and the signal handlers; it turns
// datagrams, ping replies and timer expiries into calls on PacketVerifier and MembershipProtocol,
// signs and sends what they return, logs their events, and passes membership changes and peers'
// group reports to the ResourceManager. SIGHUP reloads the configuration (see Reload). No
// decisions are made here. Single-threaded.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/config_loader.h"
#include "control/control_server.h"
#include "daemon/metrics_exporter.h"
#include "daemon/outdate_service.h"
#include "daemon/peer_digests.h"
#include "daemon/resource_manager.h"
#include "daemon/systemd_reporter.h"
#include "membership/membership_protocol.h"
#include "net/heartbeat_media.h"
#include "net/icmp_pinger.h"
#include "util/asio.h"
#include "util/rate_limiter.h"
#include "wire/authenticator.h"
#include "wire/packet_verifier.h"

namespace hbd::daemon {

struct DaemonOptions {
  std::string socket_path = "/run/hbd/hbd.sock";
  std::string state_dir = "/var/lib/hbd";
  // Reads the configuration again from where it was read at start (SIGHUP); unset: SIGHUP is
  // logged and ignored.
  std::function<config::LoadedConfig()> reload;
};

class NodeDaemon {
 public:
  NodeDaemon(boost::asio::io_context& io, config::LoadedConfig loaded, DaemonOptions options);
  ~NodeDaemon();

  // Opens the control socket, media and pinger and starts the timers. Returns an error text
  // (fatal) or "".
  std::string Start();
  // Sends `shutdone` and stops the loop's work so io.run() returns.
  void Stop();
  // SIGHUP. An invalid configuration is logged diagnostic by diagnostic (as --check-config
  // prints them) and changes nothing. A valid one applies: timings at once (liveness tracker,
  // keepalive timer), keys and autojoin to the packet verifier, policy and groups to the
  // ResourceManager (groups whose line did not change never move; see
  // ResourceManager::Reconfigure), and the configuration digest. Changes that need a restart
  // (the node list, the media, the ping nodes) refuse the whole reload with a message saying so.
  void Reload();
  void ApplyReload();

 private:
  void OnDatagram(std::string_view datagram, size_t medium, const std::string& link);
  void OnPingReply(const std::string& address);
  void OnKeepalive();
  void WaitForHangup();
  void Decorate(wire::Message& status);
  void OnPeerDigest(const std::string& node, const std::string& digest);
  void ArmDeadlineTimer();
  void Carry(membership::ProtocolOutput out);
  // ipfail: this node's and the peers' ping connectivity, and its last ping answer, to the
  // resource manager.
  void FeedConnectivity();
  void Deliver(const membership::Delivered& d);
  void SendStatusNow();
  void SendMove(const arbiter::MoveRequest& request);
  void FinishStop();
  void LogEvent(const membership::Event& event);
  void HandleControl(const control::ControlRequest& request, control::ControlServer::Reply reply);
  nlohmann::json Status() const;
  uint64_t WallSeconds() const;

  boost::asio::io_context& io_;
  config::LoadedConfig loaded_;
  DaemonOptions options_;
  TimePoint started_;
  wire::Authenticator authenticator_;
  wire::PacketVerifier verifier_;
  std::unique_ptr<membership::MembershipProtocol> protocol_;
  std::unique_ptr<net::HeartbeatMedia> media_;
  std::unique_ptr<net::IcmpPinger> pinger_;
  std::unique_ptr<control::ControlServer> control_;
  std::unique_ptr<ResourceManager> resources_;
  std::unique_ptr<OutdateService> outdate_;
  std::unique_ptr<SystemdReporter> systemd_;  // READY=1, STATUS=, watchdog pings
  std::unique_ptr<MetricsExporter> metrics_;  // only when ha.cf enables metrics
  bool status_pending_ = false;
  boost::asio::steady_timer keepalive_timer_;
  boost::asio::steady_timer deadline_timer_;
  // When deadline_timer_ fires, if it is waiting. Deadlines mostly move later (every packet
  // pushes its sender's back); the timer is then left alone and, firing early, ticks and re-arms
  // for the real one: no timer update per packet.
  std::optional<TimePoint> armed_deadline_;
  boost::asio::signal_set signals_;
  boost::asio::signal_set hangup_;
  PeerDigests digests_;
  RateLimiter log_limiter_;
  bool stopping_ = false;  // releasing groups before leaving
  bool finished_ = false;  // left the cluster
};

}  // namespace hbd::daemon
