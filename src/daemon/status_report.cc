#include "daemon/status_report.h"

namespace hbd::daemon {
namespace {

using nlohmann::json;

int64_t MsAgo(TimePoint now, TimePoint then) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - then).count();
}

void PutAgo(json& j, const char* key, TimePoint now, const std::optional<TimePoint>& then) {
  if (then)
    j[key] = MsAgo(now, *then);
}

}  // namespace

json BuildStatusReport(const config::ClusterConfig& config,
                       const membership::MembershipProtocol& protocol,
                       const wire::VerifierCounters& counters,
                       const std::vector<MediumReport>& media, TimePoint now, TimePoint started) {
  const auto& tracker = protocol.tracker();
  const auto& t = tracker.timings();
  json out;
  out["schema"] = kStatusSchemaVersion;
  out["version"] = HBD_VERSION;
  out["cluster"] = config.cluster_name;
  out["node"] = protocol.identity().node;
  out["status"] = membership::ToString(tracker.LocalStatus());
  out["comm_up"] = tracker.CommUp();
  out["uptime_ms"] = MsAgo(now, started);
  out["generation"] = protocol.identity().generation;
  out["timings_ms"] = {{"keepalive", t.keepalive.count()},
                       {"warntime", t.Warntime().count()},
                       {"deadtime", t.deadtime.count()},
                       {"initdead", t.Initdead().count()},
                       {"deadping", t.Deadping().count()}};
  json nodes = json::array();
  json pings = json::array();
  for (const auto& view : tracker.Nodes()) {
    json n;
    n["name"] = view.name;
    n["type"] = membership::ToString(view.type);
    n["status"] = membership::ToString(view.status);
    if (view.type == membership::NodeType::kPing) {
      PutAgo(n, "last_reply_ms_ago", now, view.last_packet);
      for (const auto& p : tracker.PingTargetViews()) {
        if (p.name != view.name)
          continue;
        n["group"] = p.is_group;
        n["addresses"] = p.addresses;
      }
      pings.push_back(std::move(n));
      continue;
    }
    n["local"] = view.is_local;
    PutAgo(n, "last_packet_ms_ago", now, view.last_packet);
    if (view.advertised_deadtime)
      n["deadtime_ms"] = view.advertised_deadtime->count();
    if (view.ping_count)
      n["ping_count"] = *view.ping_count;
    json links = json::array();
    for (const auto& l : view.links) {
      json lj{{"name", l.name}, {"status", membership::ToString(l.status)}};
      PutAgo(lj, "last_packet_ms_ago", now, l.last_packet);
      links.push_back(std::move(lj));
    }
    if (!view.is_local)
      n["links"] = std::move(links);
    nodes.push_back(std::move(n));
  }
  out["nodes"] = std::move(nodes);
  out["ping"] = std::move(pings);
  out["ping_connectivity"] = tracker.PingConnectivity();
  // The helpers hbd runs in-process (Heartbeat's ipfail and dopd API clients); cl_status
  // clientstatus reports them.
  out["builtins"] = {{"ipfail", config.builtins.ipfail}, {"dopd", config.builtins.dopd}};
  json mj = json::array();
  for (const auto& m : media) {
    json j{
        {"medium", m.description},      {"link", m.link},        {"open", m.open}, {"sent", m.sent},
        {"send_errors", m.send_errors}, {"received", m.received}};
    if (!m.last_error.empty())
      j["last_error"] = m.last_error;
    mj.push_back(std::move(j));
  }
  out["media"] = std::move(mj);
  json rejected = json::object();
  for (size_t i = 0; i < wire::kRejectReasonCount; ++i) {
    if (counters.rejected[i] == 0)
      continue;
    rejected[wire::ToString(static_cast<wire::RejectReason>(i))] = counters.rejected[i];
  }
  out["packets"] = {{"accepted", counters.accepted},
                    {"rejected_total", counters.TotalRejected()},
                    {"rejected", std::move(rejected)}};
  return out;
}

}  // namespace hbd::daemon
