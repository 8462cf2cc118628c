#include "control/metrics_format.h"

#include <cstdio>
#include <utility>
#include <vector>

namespace hbd::control {
namespace {

using nlohmann::json;
using Labels = std::vector<std::pair<std::string, std::string>>;

const json& Field(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object())
    return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

const json& Array(const json& j, const char* key) {
  static const json kEmpty = json::array();
  const json& v = Field(j, key);
  return v.is_array() ? v : kEmpty;
}

std::string Str(const json& j, const char* key) {
  const json& v = Field(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

bool Bool(const json& j, const char* key) {
  const json& v = Field(j, key);
  return v.is_boolean() && v.get<bool>();
}

bool IsNumber(const json& j, const char* key) {
  return Field(j, key).is_number();
}

double Number(const json& j, const char* key) {
  const json& v = Field(j, key);
  return v.is_number() ? v.get<double>() : 0.0;
}

std::string FormatValue(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

// Collects one metric family's samples; written out with HELP and TYPE only when not empty.
class Family {
 public:
  Family(std::string name, std::string type, std::string help)
      : name_(std::move(name)), type_(std::move(type)), help_(std::move(help)) {}

  void Add(const Labels& labels, double value) {
    std::string line = name_;
    if (!labels.empty()) {
      line += "{";
      for (size_t i = 0; i < labels.size(); ++i) {
        line +=
            (i ? "," : "") + labels[i].first + "=\"" + EscapeLabelValue(labels[i].second) + "\"";
      }
      line += "}";
    }
    samples_ += line + " " + FormatValue(value) + "\n";
  }

  // One series per possible value of an enumeration: 1 for `current`, 0 for the others.
  void AddStateSet(Labels labels, const std::string& label, const std::vector<std::string>& states,
                   const std::string& current) {
    labels.emplace_back(label, "");
    bool known = false;
    for (const auto& s : states) {
      labels.back().second = s;
      Add(labels, s == current ? 1 : 0);
      known |= s == current;
    }
    if (!known && !current.empty()) {  // a value newer than this list: still shown
      labels.back().second = current;
      Add(labels, 1);
    }
  }

  void WriteTo(std::string& out) const {
    if (samples_.empty())
      return;
    out += "# HELP " + name_ + " " + help_ + "\n# TYPE " + name_ + " " + type_ + "\n" + samples_;
  }

 private:
  std::string name_, type_, help_;
  std::string samples_;
};

const std::vector<std::string> kNodeStates = {"init", "up", "active", "dead"};
const std::vector<std::string> kGroupStates = {"stopped", "starting", "running",    "stopping",
                                               "failed",  "released", "stop-failed"};
const std::vector<std::string> kHeld = {"none", "local", "foreign", "all", "transition"};

void NodeMetrics(const json& status, std::string& out) {
  Family node("hbd_node_status", "gauge", "Node status as this node sees it (1 for the current).");
  Family age("hbd_node_last_packet_age_seconds", "gauge",
             "Time since the last heartbeat from the node.");
  Family link("hbd_link_up", "gauge", "1 when heartbeats from the node arrive on the link.");
  Family link_age("hbd_link_last_packet_age_seconds", "gauge",
                  "Time since the last heartbeat from the node on the link.");
  Family ping("hbd_ping_node_up", "gauge", "1 when the ping node or group answers.");
  for (const auto& n : Array(status, "nodes")) {
    std::string name = Str(n, "name");
    node.AddStateSet({{"node", name}}, "status", kNodeStates, Str(n, "status"));
    if (IsNumber(n, "last_packet_ms_ago"))
      age.Add({{"node", name}}, Number(n, "last_packet_ms_ago") / 1000);
    for (const auto& l : Array(n, "links")) {
      Labels labels{{"node", name}, {"link", Str(l, "name")}};
      link.Add(labels, Str(l, "status") == "up" ? 1 : 0);
      if (IsNumber(l, "last_packet_ms_ago"))
        link_age.Add(labels, Number(l, "last_packet_ms_ago") / 1000);
    }
  }
  for (const auto& p : Array(status, "ping"))
    ping.Add({{"node", Str(p, "name")}}, Str(p, "status") == "ping" ? 1 : 0);
  node.WriteTo(out);
  age.WriteTo(out);
  link.WriteTo(out);
  link_age.WriteTo(out);
  ping.WriteTo(out);
  if (IsNumber(status, "ping_connectivity")) {
    Family reach("hbd_ping_connectivity", "gauge", "How many ping nodes this node reaches.");
    reach.Add({}, Number(status, "ping_connectivity"));
    reach.WriteTo(out);
  }
}

void PacketMetrics(const json& status, std::string& out) {
  const json& packets = Field(status, "packets");
  if (IsNumber(packets, "accepted")) {
    Family accepted("hbd_packets_accepted_total", "counter",
                    "Heartbeat packets accepted (authenticated, new).");
    accepted.Add({}, Number(packets, "accepted"));
    accepted.WriteTo(out);
  }
  const json& rejected = Field(packets, "rejected");
  if (rejected.is_object()) {
    Family family("hbd_packets_rejected_total", "counter", "Heartbeat packets dropped, by reason.");
    for (const auto& [reason, count] : rejected.items()) {
      if (count.is_number())
        family.Add({{"reason", reason}}, count.get<double>());
    }
    family.WriteTo(out);
  }
  Family sent("hbd_medium_sent_total", "counter", "Packets sent on the medium.");
  Family errors("hbd_medium_send_errors_total", "counter", "Failed sends on the medium.");
  Family received("hbd_medium_received_total", "counter", "Datagrams received on the medium.");
  Family open("hbd_medium_open", "gauge", "1 when the medium's socket is open.");
  for (const auto& m : Array(status, "media")) {
    Labels labels{{"medium", Str(m, "medium")}, {"link", Str(m, "link")}};
    sent.Add(labels, Number(m, "sent"));
    errors.Add(labels, Number(m, "send_errors"));
    received.Add(labels, Number(m, "received"));
    open.Add(labels, Bool(m, "open") ? 1 : 0);
  }
  sent.WriteTo(out);
  errors.WriteTo(out);
  received.WriteTo(out);
  open.WriteTo(out);
}

void GroupMetrics(const json& status, std::string& out) {
  const std::string local = Str(status, "node");
  Family state("hbd_group_state", "gauge", "The group's state on this node (1 for the current).");
  Family held("hbd_group_held", "gauge", "1 when this node holds the group.");
  Family holder("hbd_group_holder", "gauge", "The live node that holds the group (value 1).");
  Family failovers("hbd_group_failovers_total", "counter",
                   "Starts here of the group after its holder died.");
  Family start_failures("hbd_group_start_failures", "gauge",
                        "Failed starts of the group here in a row (drives the back-off).");
  Family action_failures("hbd_resource_action_failures_total", "counter",
                         "Resource script actions of the group that failed here.");
  Family transition("hbd_group_last_transition_seconds", "gauge",
                    "Duration of the group's last start or stop here.");
  Family transition_ok("hbd_group_last_transition_success", "gauge",
                       "1 when the group's last start or stop here succeeded.");
  Family action("hbd_resource_action_last_seconds", "gauge",
                "Duration of each resource action in the group's last transition.");
  Family action_ok("hbd_resource_action_last_success", "gauge",
                   "1 when the resource action in the group's last transition succeeded.");
  for (const auto& g : Array(status, "groups")) {
    Labels labels{{"group", Str(g, "key")}};
    state.AddStateSet(labels, "state", kGroupStates, Str(g, "state_here"));
    std::string who = Str(g, "holder");
    held.Add(labels, !who.empty() && who == local ? 1 : 0);
    if (!who.empty())
      holder.Add({{"group", Str(g, "key")}, {"node", who}}, 1);
    if (IsNumber(g, "failovers"))
      failovers.Add(labels, Number(g, "failovers"));
    if (IsNumber(g, "start_failures"))
      start_failures.Add(labels, Number(g, "start_failures"));
    if (IsNumber(g, "action_failures"))
      action_failures.Add(labels, Number(g, "action_failures"));
    const json& last = Field(g, "last_transition");
    if (!last.is_object())
      continue;
    Labels tl{{"group", Str(g, "key")}, {"op", Str(last, "op")}};
    transition.Add(tl, Number(last, "total_ms") / 1000);
    std::string outcome = Str(last, "outcome");  // "running" or "stopped" when it worked
    transition_ok.Add(tl, outcome == "running" || outcome == "stopped" ? 1 : 0);
    for (const auto& s : Array(last, "steps")) {
      Labels sl{
          {"group", Str(g, "key")}, {"resource", Str(s, "resource")}, {"action", Str(s, "action")}};
      action.Add(sl, Number(s, "ms") / 1000);
      action_ok.Add(sl, Bool(s, "ok") ? 1 : 0);
    }
  }
  for (const Family* f : {&state, &held, &holder, &failovers, &start_failures, &action_failures,
                          &transition, &transition_ok, &action, &action_ok}) {
    f->WriteTo(out);
  }
  if (Field(status, "resources_held").is_string()) {
    Family rsc("hbd_resources_held", "gauge",
               "What this node holds, as cl_status rscstatus says it (1 for the current).");
    rsc.AddStateSet({}, "held", kHeld, Str(status, "resources_held"));
    rsc.WriteTo(out);
  }
}

std::string HttpAnswer(const std::string& status, const std::string& content_type,
                       const std::string& body, bool head_only) {
  return "HTTP/1.0 " + status + "\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         (head_only ? std::string() : body);
}

}  // namespace

std::string MetricsHttpResponse(std::string_view request_head,
                                const std::function<std::string()>& metrics) {
  const std::string text = "text/plain; charset=utf-8";
  std::string_view line = request_head.substr(0, request_head.find_first_of("\r\n"));
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == 0 || sp2 == std::string_view::npos || line.substr(sp2 + 1).rfind("HTTP/", 0) != 0)
    return HttpAnswer("400 Bad Request", text, "bad request\n", false);
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  target = target.substr(0, target.find('?'));
  bool head = method == "HEAD";
  if (method != "GET" && !head)
    return HttpAnswer("405 Method Not Allowed", text, "only GET /metrics\n", false);
  if (target != "/metrics")
    return HttpAnswer("404 Not Found", text, "hbd serves /metrics only\n", head);
  return HttpAnswer("200 OK", "text/plain; version=0.0.4; charset=utf-8", metrics(), head);
}

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatMetrics(const nlohmann::json& status) {
  std::string out;
  Family info("hbd_info", "gauge", "This hbd: node name, cluster and version (value 1).");
  info.Add({{"node", Str(status, "node")},
            {"cluster", Str(status, "cluster")},
            {"version", Str(status, "version")}},
           1);
  info.WriteTo(out);
  if (IsNumber(status, "uptime_ms")) {
    Family uptime("hbd_uptime_seconds", "gauge", "Time since hbd started.");
    uptime.Add({}, Number(status, "uptime_ms") / 1000);
    uptime.WriteTo(out);
  }
  if (Field(status, "comm_up").is_boolean()) {
    Family comm("hbd_comm_up", "gauge", "1 once every node has been heard from or declared dead.");
    comm.Add({}, Bool(status, "comm_up") ? 1 : 0);
    comm.WriteTo(out);
  }
  NodeMetrics(status, out);
  PacketMetrics(status, out);
  GroupMetrics(status, out);
  return out;
}

}  // namespace hbd::control
