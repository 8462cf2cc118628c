#include "control/metrics_format.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace hbd::control {
namespace {

nlohmann::json Sample() {
  return nlohmann::json::parse(R"({
    "schema": 1, "version": "0.1.0", "node": "alice", "cluster": "prod", "status": "active",
    "comm_up": true, "uptime_ms": 12500,
    "nodes": [
      {"name": "alice", "type": "normal", "status": "active", "local": true},
      {"name": "bob", "type": "normal", "status": "dead", "local": false, "last_packet_ms_ago": 7250,
       "links": [{"name": "eth0", "status": "dead", "last_packet_ms_ago": 7250},
                 {"name": "eth1", "status": "up"}]}
    ],
    "ping": [{"name": "192.0.2.1", "status": "ping"}, {"name": "pg", "status": "dead"}],
    "ping_connectivity": 1,
    "media": [{"medium": "ucast eth0 192.0.2.7", "link": "eth0", "open": true, "sent": 40,
               "send_errors": 2, "received": 38}],
    "packets": {"accepted": 120, "rejected_total": 5,
                "rejected": {"bad-digest": 3, "replay": 2}},
    "groups": [{"key": "IPaddr::192.0.2.10", "preferred_node": "bob", "state_here": "running",
                "holder": "alice", "holder_state": "running", "start_failures": 0,
                "failovers": 1, "action_failures": 2,
                "last_transition": {"op": "start", "reason": "preferred node bob is not alive",
                  "outcome": "running", "total_ms": 1500,
                  "steps": [{"resource": "IPaddr::192.0.2.10", "action": "start", "ms": 1250,
                             "ok": true, "detail": ""}]}},
               {"key": "mysql", "preferred_node": "alice", "state_here": "stopped",
                "holder": "", "start_failures": 3, "failovers": 0, "action_failures": 0}],
    "resources_held": "foreign"
  })");
}

bool Has(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line)
      return true;
  }
  return false;
}

TEST(MetricsFormat, NodesLinksAndPingNodes) {
  std::string m = FormatMetrics(Sample());
  EXPECT_TRUE(Has(m, "hbd_info{node=\"alice\",cluster=\"prod\",version=\"0.1.0\"} 1")) << m;
  EXPECT_TRUE(Has(m, "hbd_uptime_seconds 12.5"));
  EXPECT_TRUE(Has(m, "hbd_comm_up 1"));
  EXPECT_TRUE(Has(m, "# TYPE hbd_node_status gauge"));
  EXPECT_TRUE(Has(m, "hbd_node_status{node=\"alice\",status=\"active\"} 1"));
  EXPECT_TRUE(Has(m, "hbd_node_status{node=\"alice\",status=\"dead\"} 0"));
  EXPECT_TRUE(Has(m, "hbd_node_status{node=\"bob\",status=\"dead\"} 1"));
  EXPECT_TRUE(Has(m, "hbd_node_status{node=\"bob\",status=\"active\"} 0"));
  EXPECT_TRUE(Has(m, "hbd_node_last_packet_age_seconds{node=\"bob\"} 7.25"));
  EXPECT_TRUE(Has(m, "hbd_link_up{node=\"bob\",link=\"eth0\"} 0"));
  EXPECT_TRUE(Has(m, "hbd_link_up{node=\"bob\",link=\"eth1\"} 1"));
  EXPECT_TRUE(Has(m, "hbd_link_last_packet_age_seconds{node=\"bob\",link=\"eth0\"} 7.25"));
  EXPECT_TRUE(Has(m, "hbd_ping_node_up{node=\"192.0.2.1\"} 1"));
  EXPECT_TRUE(Has(m, "hbd_ping_node_up{node=\"pg\"} 0"));
  EXPECT_TRUE(Has(m, "hbd_ping_connectivity 1"));
}

TEST(MetricsFormat, PacketAndMediaCounters) {
  std::string m = FormatMetrics(Sample());
  EXPECT_TRUE(Has(m, "# TYPE hbd_packets_accepted_total counter"));
  EXPECT_TRUE(Has(m, "hbd_packets_accepted_total 120"));
  EXPECT_TRUE(Has(m, "hbd_packets_rejected_total{reason=\"bad-digest\"} 3"));
  EXPECT_TRUE(Has(m, "hbd_packets_rejected_total{reason=\"replay\"} 2"));
  EXPECT_TRUE(Has(m, "hbd_medium_sent_total{medium=\"ucast eth0 192.0.2.7\",link=\"eth0\"} 40"));
  EXPECT_TRUE(
      Has(m, "hbd_medium_send_errors_total{medium=\"ucast eth0 192.0.2.7\",link=\"eth0\"} 2"));
  EXPECT_TRUE(
      Has(m, "hbd_medium_received_total{medium=\"ucast eth0 192.0.2.7\",link=\"eth0\"} 38"));
  EXPECT_TRUE(Has(m, "hbd_medium_open{medium=\"ucast eth0 192.0.2.7\",link=\"eth0\"} 1"));
}

TEST(MetricsFormat, GroupsTransitionsAndFailovers) {
  std::string m = FormatMetrics(Sample());
  EXPECT_TRUE(Has(m, "hbd_group_state{group=\"IPaddr::192.0.2.10\",state=\"running\"} 1"));
  EXPECT_TRUE(Has(m, "hbd_group_state{group=\"IPaddr::192.0.2.10\",state=\"stopped\"} 0"));
  EXPECT_TRUE(Has(m, "hbd_group_state{group=\"mysql\",state=\"stopped\"} 1"));
  EXPECT_TRUE(Has(m, "hbd_group_held{group=\"IPaddr::192.0.2.10\"} 1"));
  EXPECT_TRUE(Has(m, "hbd_group_held{group=\"mysql\"} 0"));
  EXPECT_TRUE(Has(m, "hbd_group_holder{group=\"IPaddr::192.0.2.10\",node=\"alice\"} 1"));
  EXPECT_EQ(m.find("hbd_group_holder{group=\"mysql\""), std::string::npos);
  EXPECT_TRUE(Has(m, "# TYPE hbd_group_failovers_total counter"));
  EXPECT_TRUE(Has(m, "hbd_group_failovers_total{group=\"IPaddr::192.0.2.10\"} 1"));
  EXPECT_TRUE(Has(m, "hbd_group_start_failures{group=\"mysql\"} 3"));
  EXPECT_TRUE(Has(m, "hbd_resource_action_failures_total{group=\"IPaddr::192.0.2.10\"} 2"));
  EXPECT_TRUE(
      Has(m, "hbd_group_last_transition_seconds{group=\"IPaddr::192.0.2.10\",op=\"start\"} 1.5"));
  EXPECT_TRUE(
      Has(m, "hbd_group_last_transition_success{group=\"IPaddr::192.0.2.10\",op=\"start\"} 1"));
  EXPECT_TRUE(Has(m,
                  "hbd_resource_action_last_seconds{group=\"IPaddr::192.0.2.10\",resource=\"IPaddr:"
                  ":192.0.2.10\",action=\"start\"} 1.25"));
  EXPECT_TRUE(Has(m,
                  "hbd_resource_action_last_success{group=\"IPaddr::192.0.2.10\",resource=\"IPaddr:"
                  ":192.0.2.10\",action=\"start\"} 1"));
  EXPECT_TRUE(Has(m, "hbd_resources_held{held=\"foreign\"} 1"));
  EXPECT_TRUE(Has(m, "hbd_resources_held{held=\"none\"} 0"));
}

TEST(MetricsFormat, FailedTransitionIsZero) {
  auto s = Sample();
  s["groups"][0]["last_transition"]["outcome"] = "start failed";
  s["groups"][0]["last_transition"]["steps"][0]["ok"] = false;
  std::string m = FormatMetrics(s);
  EXPECT_TRUE(
      Has(m, "hbd_group_last_transition_success{group=\"IPaddr::192.0.2.10\",op=\"start\"} 0"));
  EXPECT_TRUE(Has(m,
                  "hbd_resource_action_last_success{group=\"IPaddr::192.0.2.10\",resource=\"IPaddr:"
                  ":192.0.2.10\",action=\"start\"} 0"));
}

// Every family has exactly one HELP and one TYPE line, before its samples, and every sample line
// is NAME{labels} VALUE: what a Prometheus parser needs.
TEST(MetricsFormat, WellFormedExposition) {
  std::string m = FormatMetrics(Sample());
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.back(), '\n');
  std::istringstream in(m);
  std::set<std::string> typed;
  std::string current;
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("# HELP ", 0) == 0)
      continue;
    if (l.rfind("# TYPE ", 0) == 0) {
      current = l.substr(7, l.find(' ', 7) - 7);
      EXPECT_TRUE(typed.insert(current).second) << "TYPE twice: " << current;
      continue;
    }
    std::string name = l.substr(0, l.find_first_of("{ "));
    EXPECT_EQ(name, current) << l;
    EXPECT_NE(l.rfind(' '), std::string::npos);
  }
  EXPECT_GT(typed.size(), 15u);
}

TEST(MetricsFormat, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  auto s = Sample();
  s["nodes"][1]["name"] = "we\"ird";
  EXPECT_TRUE(Has(FormatMetrics(s), "hbd_node_status{node=\"we\\\"ird\",status=\"dead\"} 1"));
}

TEST(MetricsFormat, MissingOrOddFieldsGiveNoSeries) {
  std::string m = FormatMetrics(nlohmann::json::object());
  EXPECT_TRUE(Has(m, "hbd_info{node=\"\",cluster=\"\",version=\"\"} 1"));
  EXPECT_EQ(m.find("hbd_node_status"), std::string::npos);
  auto odd = nlohmann::json::parse(
      R"({"nodes": [1, "x"], "groups": {"a": 1}, "packets": {"rejected": {"x": "y"}},
          "media": [null]})");
  EXPECT_NO_THROW(FormatMetrics(odd));
  EXPECT_NO_THROW(FormatMetrics(nlohmann::json::array()));
}

}  // namespace
}  // namespace hbd::control

namespace hbd::control {
namespace {

TEST(MetricsHttp, GetMetrics) {
  int calls = 0;
  auto body = [&] {
    ++calls;
    return std::string("hbd_up 1\n");
  };
  std::string r = MetricsHttpResponse("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", body);
  EXPECT_EQ(r,
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
            "Content-Length: 9\r\nConnection: close\r\n\r\nhbd_up 1\n");
  EXPECT_EQ(calls, 1);
  r = MetricsHttpResponse("GET /metrics?x=1 HTTP/1.0\r\n\r\n", body);
  EXPECT_EQ(r.rfind("HTTP/1.0 200 OK\r\n", 0), 0u);
  r = MetricsHttpResponse("HEAD /metrics HTTP/1.0\r\n\r\n", body);
  EXPECT_NE(r.find("Content-Length: 9\r\n"), std::string::npos);
  EXPECT_EQ(r.substr(r.size() - 4), "\r\n\r\n");
}

TEST(MetricsHttp, OtherRequestsDoNotBuildMetrics) {
  int calls = 0;
  auto body = [&] {
    ++calls;
    return std::string("x");
  };
  EXPECT_EQ(MetricsHttpResponse("GET / HTTP/1.1\r\n\r\n", body).rfind("HTTP/1.0 404 ", 0), 0u);
  EXPECT_EQ(MetricsHttpResponse("POST /metrics HTTP/1.1\r\n\r\n", body).rfind("HTTP/1.0 405 ", 0),
            0u);
  for (const char* bad : {"", "\r\n", "GET\r\n", "GET /metrics\r\n", " /metrics HTTP/1.0\r\n",
                          "GET /metrics FTP/1.0\r\n"}) {
    EXPECT_EQ(MetricsHttpResponse(bad, body).rfind("HTTP/1.0 400 ", 0), 0u) << bad;
  }
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace hbd::control
