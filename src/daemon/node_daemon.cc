#include "daemon/node_daemon.h"

#include <array>
#include <csignal>
#include <ctime>

#include "arbiter/report_codec.h"
#include "config/config_digest.h"
#include "daemon/node_identity.h"
#include "daemon/status_report.h"
#include "daemon/systemd_notify.h"
#include "daemon/systemd_status.h"
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
      hangup_(io, SIGHUP),
      digests_(config::ConfigDigest(loaded_.config)),
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
  ResourceManager::Hooks hooks;
  hooks.report_changed = [this] { SendStatusNow(); };
  hooks.send_move = [this](const arbiter::MoveRequest& r) { SendMove(r); };
  // Report versions grow across restarts: the generation does, and 2^20 changes per run is
  // more than any run makes.
  resources_ = std::make_unique<ResourceManager>(io_, loaded_, identity.generation << 20, hooks);
  resources_->Start();
  OutdateService::Hooks outdate_hooks;
  outdate_hooks.send = [this](wire::Message m) {
    boost::asio::post(io_, [this, m]() mutable {
      if (!finished_ && protocol_)
        Carry(protocol_->Send(std::move(m), WallSeconds()));
    });
  };
  outdate_hooks.peer_alive = [this](const std::string& node) {
    if (node == protocol_->identity().node)
      return false;
    auto view = protocol_->tracker().Node(node);
    return view && view->type == membership::NodeType::kNormal &&
           (view->status == membership::NodeStatus::kUp ||
            view->status == membership::NodeStatus::kActive);
  };
  outdate_ = std::make_unique<OutdateService>(io_, identity.node, loaded_.config.builtins.dopd,
                                              outdate_hooks);

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
              ": releasing groups, then leaving the cluster");
    Stop();
  });
  WaitForHangup();
  LogNotice("node " + identity.node + " starting (generation " +
            std::to_string(identity.generation) + ", " +
            std::to_string(loaded_.config.nodes.size()) + " nodes, " +
            std::to_string(loaded_.config.media.size()) + " media)");
  if (loaded_.config.metrics.Enabled()) {
    metrics_ =
        std::make_unique<MetricsExporter>(io_, loaded_.config.metrics, [this] { return Status(); });
    metrics_->Start();
  }
  OnKeepalive();
  systemd_ = std::make_unique<SystemdReporter>(io_, [this] { return SystemdStatusLine(Status()); });
  systemd_->Start();
  return {};
}

void NodeDaemon::Stop() {
  if (stopping_)
    return;
  stopping_ = true;
  NotifyStopping();
  if (systemd_)
    systemd_->UpdateStatus();
  // More signals during the release are logged and ignored: a group is never left half-stopped.
  signals_.async_wait([](const boost::system::error_code& ec, int) {
    if (!ec)
      LogWarning("still releasing groups; hbd stops when they are stopped");
  });
  if (!resources_) {
    FinishStop();
    return;
  }
  resources_->Shutdown([this] { boost::asio::post(io_, [this] { FinishStop(); }); });
}

void NodeDaemon::FinishStop() {
  if (protocol_ && media_)
    Carry(protocol_->Shutdown(WallSeconds()));
  keepalive_timer_.cancel();
  deadline_timer_.cancel();
  signals_.cancel();
  hangup_.cancel();
  if (pinger_)
    pinger_.reset();
  if (media_)
    media_->Close();
  control_.reset();
  metrics_.reset();
  outdate_.reset();
  resources_.reset();
  systemd_.reset();
  finished_ = true;
}

void NodeDaemon::OnKeepalive() {
  if (finished_)
    return;
  Carry(
      protocol_->Heartbeat(Clock::now(), WallSeconds(), [this](wire::Message& m) { Decorate(m); }));
  if (pinger_)
    pinger_->SendRound();
  keepalive_timer_.expires_after(protocol_->tracker().timings().keepalive);
  keepalive_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec)
      OnKeepalive();
  });
}

void NodeDaemon::SendStatusNow() {
  // Coalesced: several changes in one turn of the loop make one extra status message.
  if (status_pending_)
    return;
  status_pending_ = true;
  boost::asio::post(io_, [this] {
    status_pending_ = false;
    if (finished_ || !protocol_)
      return;
    if (resources_)
      protocol_->SetResourcesHeld(resources_->HeldSummary());
    Carry(protocol_->Heartbeat(Clock::now(), WallSeconds(),
                               [this](wire::Message& m) { Decorate(m); }));
  });
}

void NodeDaemon::Decorate(wire::Message& status) {
  if (resources_)
    arbiter::PutReport(resources_->Report(), status);
  status.Add(kConfigDigestField, digests_.ours());
}

void NodeDaemon::OnPeerDigest(const std::string& node, const std::string& digest) {
  auto line = digests_.OnPeer(node, digest);
  if (!line)
    return;
  if (!line->warning) {
    LogNotice(line->text);
  } else if (auto d = log_limiter_.Check("digest:" + node, Clock::now()); d.allow) {
    LogWarning(line->text);
  }
}

void NodeDaemon::WaitForHangup() {
  hangup_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec)
      return;
    Reload();
    if (!finished_)
      WaitForHangup();
  });
}

void NodeDaemon::Reload() {
  // systemd: RELOADING=1 now, READY=1 once the new configuration is in force or refused (group
  // changes that wait for runs under way finish later; the status line shows them).
  NotifyReloading();
  ApplyReload();
  NotifyReady();
}

void NodeDaemon::ApplyReload() {
  if (stopping_ || finished_) {
    LogWarning("received SIGHUP while leaving the cluster; not reloading");
    return;
  }
  if (!options_.reload) {
    LogWarning("received SIGHUP; this daemon cannot reload its configuration");
    return;
  }
  LogNotice("received SIGHUP: reloading the configuration from " + loaded_.source);
  config::LoadedConfig next = options_.reload();
  for (const auto& d : next.diags.items()) {
    if (d.severity == config::Severity::kError)
      LogError(d.Format());
    else if (d.severity == config::Severity::kWarning)
      LogWarning(d.Format());
    else
      LogInfo(d.Format());
  }
  if (!next.ok()) {
    LogError("reload: " + next.source + " has " + std::to_string(next.diags.ErrorCount()) +
             " error(s); the old configuration keeps running, unchanged");
    return;
  }
  const config::ClusterConfig& old = loaded_.config;
  std::vector<std::string> restart;
  if (next.local_node != loaded_.local_node)
    restart.push_back("this node's name");
  if (next.config.nodes != old.nodes || next.config.autojoin != old.autojoin)
    restart.push_back("the node list");
  if (next.config.media != old.media)
    restart.push_back("the media (heartbeat links)");
  if (next.config.ping_targets != old.ping_targets)
    restart.push_back("the ping nodes");
  if (!restart.empty()) {
    std::string what;
    for (const auto& r : restart)
      what += (what.empty() ? "" : ", ") + r;
    LogError("reload refused: " + what +
             " changed, which needs a restart of hbd; the old configuration keeps running, "
             "unchanged");
    return;
  }
  if (next.config.logging != old.logging || next.config.process != old.process)
    LogWarning("reload: logging and process settings take effect at the next restart");
  const bool timings_changed = next.config.timings != old.timings;
  loaded_.config = next.config;
  loaded_.diags = next.diags;
  authenticator_ = wire::Authenticator(next.config.auth);
  verifier_.Reconfigure(next.config);
  if (timings_changed) {
    LogNotice("reload: new timings in force (keepalive " +
              std::to_string(next.config.timings.keepalive.count()) + " ms, deadtime " +
              std::to_string(next.config.timings.deadtime.count()) + " ms)");
    Carry(protocol_->SetTimings(Clock::now(), next.config.timings));
    // The next heartbeat goes out at the new interval.
    keepalive_timer_.expires_after(protocol_->tracker().timings().keepalive);
    keepalive_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec)
        OnKeepalive();
    });
  }
  for (const auto& line : digests_.SetOurs(config::ConfigDigest(next.config))) {
    if (line.warning)
      LogWarning(line.text);
    else
      LogNotice(line.text);
  }
  if (resources_)
    resources_->Reconfigure(next.config);
  SendStatusNow();
  LogNotice("reload: configuration applied (digest " + digests_.ours() + ")" +
            (resources_ && resources_->ReloadPending() ? "; group changes pending" : ""));
}

void NodeDaemon::SendMove(const arbiter::MoveRequest& request) {
  wire::Message m;
  m.Add(wire::field::kType, "hbd_move");
  m.Add(wire::field::kDest, request.holder);
  m.Add("group", request.group_key);
  m.Add("to", request.to);
  boost::asio::post(io_, [this, m]() mutable {
    if (!finished_ && protocol_)
      Carry(protocol_->Send(std::move(m), WallSeconds()));
  });
}

void NodeDaemon::ArmDeadlineTimer() {
  if (finished_)
    return;
  auto next = protocol_->tracker().NextDeadline();
  if (!next) {
    if (armed_deadline_)
      deadline_timer_.cancel();
    armed_deadline_.reset();
    return;
  }
  if (armed_deadline_ && *armed_deadline_ <= *next)
    return;  // fires first; its tick re-arms for `next`
  armed_deadline_ = *next;
  deadline_timer_.expires_at(*next);
  deadline_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec)
      return;
    armed_deadline_.reset();
    Carry(protocol_->Tick(Clock::now()));
  });
}

void NodeDaemon::OnDatagram(std::string_view datagram, size_t medium, const std::string& link) {
  if (finished_)
    return;
  wire::Verdict verdict = verifier_.Verify(datagram, medium);
  if (!verdict.authenticated) {
    // One limiter key per reason, made once: a rejected packet costs no allocation here.
    static const std::array<std::string, wire::kRejectReasonCount> kKeys = [] {
      std::array<std::string, wire::kRejectReasonCount> keys;
      for (size_t i = 0; i < keys.size(); ++i)
        keys[i] = std::string("reject:") + wire::ToString(static_cast<wire::RejectReason>(i));
      return keys;
    }();
    auto reason = wire::ToString(*verdict.rejected);
    auto d = log_limiter_.Check(kKeys[wire::Index(*verdict.rejected)], Clock::now());
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
  if (finished_)
    return;
  Carry(protocol_->OnPingReply(Clock::now(), address));
}

void NodeDaemon::Carry(membership::ProtocolOutput out) {
  for (auto& message : out.send)
    media_->Send(authenticator_.SignAndEncode(message));
  for (const auto& event : out.events)
    LogEvent(event);
  ArmDeadlineTimer();
  if (!resources_)
    return;
  // Before the events and messages: a peer's first status (which says it runs hbd and whether
  // its count is settled) must not reach the arbiter while the peer still looks like one that
  // never reports a count (it would be compared as 0 and passed over).
  FeedConnectivity();
  using membership::EventKind;
  using membership::NodeStatus;
  for (const auto& node : out.restarted) {
    LogNotice("node " + node + " restarted (new generation); it holds nothing now");
    resources_->OnNodeDead(node);
    if (resources_)
      resources_->OnNodeAlive(node);
  }
  for (const auto& e : out.events) {
    if (!resources_)
      return;
    if (e.kind == EventKind::kCommUp) {
      resources_->OnCommUp();
    } else if (e.kind == EventKind::kNodeStatus && e.node != protocol_->identity().node) {
      bool was_alive = e.old_status == NodeStatus::kUp || e.old_status == NodeStatus::kActive;
      bool alive = e.new_status == NodeStatus::kUp || e.new_status == NodeStatus::kActive;
      if (alive && !was_alive)
        resources_->OnNodeAlive(e.node);
      if (!alive && was_alive) {
        digests_.Forget(e.node);
        resources_->OnNodeDead(e.node);
        if (outdate_)
          outdate_->OnPeerDead(e.node);
      }
    }
  }
  for (const auto& d : out.delivered)
    Deliver(d);
  FeedConnectivity();  // again: events (a death, a ping time-out) may have changed it
}

void NodeDaemon::FeedConnectivity() {
  // ipfail compares ping connectivity: ours from the tracker, the peers' from their status.
  // A count not settled yet is unknown (placement waits for it); a Heartbeat peer reports none.
  if (!resources_ || loaded_.config.ping_targets.empty())
    return;
  const auto& tracker = protocol_->tracker();
  const std::string& self = protocol_->identity().node;
  resources_->SetLastPingReply(tracker.LastPingReply());
  resources_->SetConnectivity(
      self, tracker.PingSettled() ? tracker.PingConnectivity() : arbiter::kConnectivityUnknown);
  for (const auto& n : loaded_.config.nodes) {
    if (n == self || !resources_)
      continue;
    int count = arbiter::kConnectivityNotReported;
    if (protocol_->IsHbdPeer(n))
      count = tracker.PeerPingCount(n).value_or(arbiter::kConnectivityUnknown);
    resources_->SetConnectivity(n, count);
  }
}

void NodeDaemon::Deliver(const membership::Delivered& d) {
  if (!resources_)
    return;
  auto type = d.message.Get(wire::field::kType).value_or("");
  if (type == "status") {
    auto node = protocol_->tracker().Node(d.source);
    bool alive = node && (node->status == membership::NodeStatus::kUp ||
                          node->status == membership::NodeStatus::kActive);
    if (auto digest = d.message.Get(kConfigDigestField); digest && alive)
      OnPeerDigest(d.source, std::string(*digest));
    if (auto report = arbiter::GetReport(d.message); report && alive)
      resources_->OnPeerReport(d.source, *report);
  } else if (type == "start_outdate" || type == "outdate_rc") {
    if (outdate_)
      outdate_->OnMessage(d.source, d.message);
  } else if (type == "hbd_move") {
    auto key = d.message.Get("group");
    auto to = d.message.Get("to");
    if (key && to)
      resources_->OnMoveRequest(d.source, std::string(*key), std::string(*to));
  }
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
  nlohmann::json status = BuildStatusReport(loaded_.config, *protocol_, verifier_.counters(), media,
                                            Clock::now(), started_);
  if (resources_) {
    status["groups"] = resources_->StatusJson();
    status["resources_held"] = resources_->HeldSummary();
  }
  status["stopping"] = stopping_;
  status["config_digest"] = digests_.ours();
  status["reload_pending"] = resources_ && resources_->ReloadPending();
  for (auto& n : status["nodes"]) {
    std::string name = n.value("name", "");
    if (auto digest = digests_.Of(name)) {
      n["config_digest"] = *digest;
      n["config_mismatch"] = digests_.Mismatch(name);
    }
  }
  return status;
}

void NodeDaemon::HandleControl(const control::ControlRequest& request,
                               control::ControlServer::Reply reply) {
  if (request.verb == "status") {
    nlohmann::json status = Status();
    status["ok"] = true;
    reply(status);
  } else if ((request.verb == "standby" || request.verb == "takeover") && resources_ &&
             !stopping_) {
    auto set = arbiter::ParseMoveSet(request.args.empty() ? "all" : request.args[0]);
    if (!set) {
      reply({{"ok", false}, {"error", "expected all, local, foreign or failback"}});
      return;
    }
    auto done = [reply](bool ok, const std::string& message) {
      reply({{"ok", ok}, {ok ? "message" : "error", message}});
    };
    if (request.verb == "standby") {
      resources_->Standby(*set, done);
    } else {
      resources_->Takeover(*set, done);
    }
  } else if (request.verb == "force-promote" && resources_ && !stopping_) {
    resources_->ForcePromote(request.args[0], [reply](bool ok, const std::string& message) {
      reply({{"ok", ok}, {ok ? "message" : "error", message}});
    });
  } else if (request.verb == "outdate" && outdate_) {
    int timeout_ms = 60000;
    try {
      timeout_ms = std::stoi(request.args[2]);
    } catch (const std::exception&) {
    }
    outdate_->Request(request.args[0], request.args[1], timeout_ms, reply);
  } else if (request.verb == "ping") {
    reply({{"ok", true}});
  } else {
    reply({{"ok", false}, {"error", "'" + request.verb + "' is not available yet"}});
  }
}

}  // namespace hbd::daemon
