#include "daemon/outdate_service.h"

#include "config/config_text.h"
#include "resources/program_lookup.h"
#include "util/log.h"

namespace hbd::daemon {
namespace {

bool ValidResourceName(const std::string& name) {
  if (name.empty() || name.size() > 64)
    return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok)
      return false;
  }
  return name != "." && name != "..";
}

}  // namespace

int DopValueForOutdateExit(int exit_code, bool killed) {
  if (killed)
    return kOutdateFailed;
  switch (exit_code) {
    case 0:
      return kPeerOutdated;
    case 5:
      return kPeerInconsistent;
    case 17:
      return kPeerIsPrimary;
    default:
      return kOutdateFailed;
  }
}

OutdateService::OutdateService(boost::asio::io_context& io, std::string local_node, bool enabled,
                               Hooks hooks)
    : io_(io),
      local_node_(std::move(local_node)),
      enabled_(enabled),
      hooks_(std::move(hooks)),
      runner_(io) {}

void OutdateService::Request(const std::string& resource, const std::string& peer_in,
                             int timeout_ms, Reply reply) {
  const std::string peer = config::ToLower(peer_in);
  auto answer = [&](int rc, const std::string& message) {
    LogNotice("outdate-peer " + resource + " on " + peer + ": " + std::to_string(rc) + " (" +
              message + ")");
    reply({{"ok", true}, {"rc", rc}, {"message", message}});
  };
  if (!enabled_) {
    return answer(kPeerUnreachable,
                  "dopd is not enabled in ha.cf (respawn .../dopd or apiauth dopd)");
  }
  if (!ValidResourceName(resource))
    return answer(kOutdateFailed, "bad resource name");
  if (peer == local_node_ || !hooks_.peer_alive || !hooks_.peer_alive(peer)) {
    return answer(kPeerUnreachable, "peer " + peer + " is not a live cluster node");
  }
  if (pending_.count(resource)) {
    return answer(kRequestInProgress, "a request for " + resource + " is already waiting");
  }
  Pending& p = pending_[resource];
  p.peer = peer;
  p.reply = std::move(reply);
  p.timer = std::make_unique<boost::asio::steady_timer>(io_);
  p.timer->expires_after(std::chrono::milliseconds(std::max(100, timeout_ms)));
  p.timer->async_wait([this, resource](const boost::system::error_code& ec) {
    if (!ec)
      Finish(resource, kPeerUnreachable, "no answer from the peer in time");
  });
  wire::Message m;
  m.Add(wire::field::kType, "start_outdate");
  m.Add(wire::field::kDest, peer);
  m.Add("dop_res", resource);
  LogNotice("outdate-peer: asking " + peer + " to outdate " + resource);
  if (hooks_.send)
    hooks_.send(std::move(m));
}

void OutdateService::Finish(const std::string& resource, int rc, const std::string& message) {
  auto it = pending_.find(resource);
  if (it == pending_.end())
    return;
  Pending p = std::move(it->second);
  pending_.erase(it);
  p.timer->cancel();
  LogNotice("outdate-peer " + resource + " on " + p.peer + ": " + std::to_string(rc) + " (" +
            message + ")");
  p.reply({{"ok", true}, {"rc", rc}, {"message", message}});
}

void OutdateService::OnPeerDead(const std::string& node) {
  std::vector<std::string> gone;
  for (const auto& [resource, p] : pending_) {
    if (p.peer == node)
      gone.push_back(resource);
  }
  for (const auto& r : gone)
    Finish(r, kPeerUnreachable, "the peer died while we waited");
}

void OutdateService::OnMessage(const std::string& from, const wire::Message& message) {
  auto type = message.Get(wire::field::kType).value_or("");
  std::string resource(message.Get("dop_res").value_or(""));
  if (type == "outdate_rc") {
    auto it = pending_.find(resource);
    if (it == pending_.end() || it->second.peer != from)
      return;
    std::string value(message.Get("dop_value").value_or(""));
    int rc = kOutdateFailed;
    try {
      rc = std::stoi(value);
    } catch (const std::exception&) {
    }
    Finish(resource, rc, "the peer answered");
    return;
  }
  if (type != "start_outdate")
    return;
  auto send_rc = [this, from, resource](int rc) {
    wire::Message reply;
    reply.Add(wire::field::kType, "outdate_rc");
    reply.Add(wire::field::kDest, from);
    reply.Add("dop_value", std::to_string(rc));
    reply.Add("dop_res", resource);
    if (hooks_.send)
      hooks_.send(std::move(reply));
  };
  if (!enabled_ || !ValidResourceName(resource)) {
    LogWarning("refused an outdate request for '" + resource.substr(0, 64) + "' from " + from +
               (enabled_ ? ": bad resource name" : ": dopd is not enabled here"));
    send_rc(kOutdateFailed);
    return;
  }
  LogNotice(from + " asks this node to outdate its DRBD resource " + resource);
  resources::ChildCommand command;
  command.path = "drbdadm";
  command.argv = {"drbdadm", "outdate", resource};
  command.env = {std::string("PATH=") + resources::kScriptPath, "LANG=C"};
  // Resolve drbdadm on the scripts' PATH (the child execs a path, not a search).
  const std::string path = resources::FindOnScriptPath("drbdadm");
  if (path.empty()) {
    LogError("outdate " + resource + ": drbdadm not found");
    send_rc(kOutdateFailed);
    return;
  }
  command.path = path;
  runner_.RunCommand("drbdadm outdate " + resource, command, std::chrono::seconds(30),
                     [send_rc, resource](const resources::ActionResult& r) {
                       int rc = DopValueForOutdateExit(r.exit_code, r.exit_code < 0);
                       LogNotice("drbdadm outdate " + resource + " exited " +
                                 std::to_string(r.exit_code) + "; answering " + std::to_string(rc));
                       send_rc(rc);
                     });
}

}  // namespace hbd::daemon
