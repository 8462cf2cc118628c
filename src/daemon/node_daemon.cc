#include "daemon/node_daemon.h"

#include <csignal>
#include <ctime>

#include "daemon/node_identity.h"
#include "daemon/status_report.h"
#include "util/log.h"

namespace hbd::daemon {

NodeDaemon::NodeDaemon(boost::asio::io_context& io, config::LoadedConfig loaded,
                       DaemonOptions options)
    : io_(io),
      loaded_(std::move(loaded)),
      options_(std::move(options)),
      started_(Clock::now()),
      authenticator_(loaded_.config.auth),
      verifier_(loaded_.config),
      keepalive_timer_(io),
      deadline_timer_(io),
      signals_(io, SIGINT, SIGTERM),
      log_limiter_(std::chrono::seconds(60), 5) {}

NodeDaemon::~NodeDaemon() = default;

uint64_t NodeDaemon::WallSeconds() const {
  return static_cast<uint64_t>(std::time(nullptr));  // informational `ts` field only
}

std::string NodeDaemon::Start() {
  std::string warning;
  auto identity = MakeLocalIdentity(loaded_.local_node, options_.state_dir, warning);
  if (!warning.empty())
    LogWarning(warning);
  protocol_ = std::make_unique<membership::MembershipProtocol>(loaded_.config, identity, started_);

  control_ = std::make_unique<control::ControlServer>(
      io_, options_.socket_path,
      [this](const control::ControlRequest& r, control::ControlServer::Reply reply) {
        HandleControl(r, std::move(reply));
      });
  if (std::string error = control_->Open(); !error.empty())
    return error;

  media_ = std::make_unique<net::HeartbeatMedia>(
      io_, loaded_.config.media,
      [this](std::string_view d, size_t m, const std::string& link) { OnDatagram(d, m, link); });
  media_->Open();
  if (!loaded_.config.ping_targets.empty()) {
    pinger_ = std::make_unique<net::IcmpPinger>(io_, loaded_.config.ping_targets,
                                                [this](const std::string& a) { OnPingReply(a); });
    if (std::string error = pinger_->Open(); !error.empty()) {
      LogError("ping nodes: " + error + "; they will be reported dead");
    }
  }
  signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec)
      return;
    LogNotice(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") +
              ": leaving the cluster");
    Stop();
  });
  LogNotice("node " + identity.node + " starting (generation " +
            std::to_string(identity.generation) + ", " +
            std::to_string(loaded_.config.nodes.size()) + " nodes, " +
            std::to_string(loaded_.config.media.size()) + " media)");
  OnKeepalive();
  return {};
}

void NodeDaemon::Stop() {
  if (stopping_)
    return;
  stopping_ = true;
  if (protocol_ && media_)
    Carry(protocol_->Shutdown(WallSeconds()));
  keepalive_timer_.cancel();
  deadline_timer_.cancel();
  signals_.cancel();
  if (pinger_)
    pinger_.reset();
  if (media_)
    media_->Close();
  control_.reset();
}

void NodeDaemon::OnKeepalive() {
  if (stopping_)
    return;
  Carry(protocol_->Heartbeat(Clock::now(), WallSeconds()));
  if (pinger_)
    pinger_->SendRound();
  keepalive_timer_.expires_after(protocol_->tracker().timings().keepalive);
  keepalive_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec)
      OnKeepalive();
  });
}

void NodeDaemon::ArmDeadlineTimer() {
  if (stopping_)
    return;
  auto next = protocol_->tracker().NextDeadline();
  if (!next) {
    deadline_timer_.cancel();
    return;
  }
  deadline_timer_.expires_at(*next);
  deadline_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec)
      return;
    Carry(protocol_->Tick(Clock::now()));
  });
}

void NodeDaemon::OnDatagram(std::string_view datagram, size_t medium, const std::string& link) {
  if (stopping_)
    return;
  wire::Verdict verdict = verifier_.Verify(datagram, medium);
  if (!verdict.authenticated) {
    auto reason = wire::ToString(*verdict.rejected);
    auto d = log_limiter_.Check(std::string("reject:") + reason, Clock::now());
    if (d.allow) {
      LogWarning(std::string("dropped a packet on ") + link + ": " + reason +
                 (d.suppressed_before
                      ? " (" + std::to_string(d.suppressed_before) + " similar lines suppressed)"
                      : ""));
    }
    return;
  }
  Carry(protocol_->OnVerified(Clock::now(), WallSeconds(), verdict, link));
}

void NodeDaemon::OnPingReply(const std::string& address) {
  if (stopping_)
    return;
  Carry(protocol_->OnPingReply(Clock::now(), address));
}

void NodeDaemon::Carry(membership::ProtocolOutput out) {
  for (auto& message : out.send)
    media_->Send(authenticator_.SignAndEncode(message));
  for (const auto& event : out.events)
    LogEvent(event);
  ArmDeadlineTimer();
}

void NodeDaemon::LogEvent(const membership::Event& event) {
  using membership::EventKind;
  std::string text = membership::ToString(event);
  switch (event.kind) {
    case EventKind::kNodeStatus:
    case EventKind::kPingStatus:
      if (event.new_status == membership::NodeStatus::kDead) {
        LogWarning(text);
      } else {
        LogNotice(text);
      }
      break;
    case EventKind::kLinkStatus:
      if (event.link_status == membership::LinkStatus::kDead)
        LogWarning(text);
      else
        LogNotice(text);
      break;
    case EventKind::kLateHeartbeat:
    case EventKind::kLateHeartbeatArrived:
      if (log_limiter_.Check("late:" + event.node, Clock::now()).allow)
        LogWarning(text);
      break;
    case EventKind::kCommUp:
      LogNotice(text);
      break;
    case EventKind::kIgnoredInput:
      LogDebug(text);
      break;
  }
}

nlohmann::json NodeDaemon::Status() const {
  std::vector<MediumReport> media;
  for (const auto& s : media_->States()) {
    media.push_back(
        {s.description, s.link, s.open, s.last_error, s.sent, s.send_errors, s.received});
  }
  return BuildStatusReport(loaded_.config, *protocol_, verifier_.counters(), media, Clock::now(),
                           started_);
}

void NodeDaemon::HandleControl(const control::ControlRequest& request,
                               control::ControlServer::Reply reply) {
  if (request.verb == "status") {
    nlohmann::json status = Status();
    status["ok"] = true;
    reply(status);
  } else if (request.verb == "ping") {
    reply({{"ok", true}});
  } else {
    reply({{"ok", false}, {"error", "'" + request.verb + "' is not available yet"}});
  }
}

}  // namespace hbd::daemon
