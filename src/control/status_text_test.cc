#include "control/status_text.h"

#include <gtest/gtest.h>

namespace hbd::control {
namespace {

const char* kStatus = R"({
  "schema": 1, "version": "0.1.0", "node": "node1", "status": "active", "comm_up": true,
  "timings_ms": {"keepalive": 100, "warntime": 500, "deadtime": 1000, "initdead": 3000,
                 "deadping": 1000},
  "nodes": [
    {"name": "node1", "type": "normal", "status": "active", "local": true},
    {"name": "node2", "type": "normal", "status": "active", "local": false,
     "last_packet_ms_ago": 42, "ping_count": 1,
     "links": [{"name": "eth0", "status": "up", "last_packet_ms_ago": 42},
               {"name": "eth1", "status": "dead", "last_packet_ms_ago": 3100}]}],
  "ping": [{"name": "192.0.2.254", "type": "ping", "status": "ping", "last_reply_ms_ago": 7}],
  "ping_connectivity": 1,
  "media": [{"medium": "mcast eth0 239.255.0.1:694", "link": "eth0", "open": true, "sent": 5,
             "received": 4, "send_errors": 0}],
  "packets": {"accepted": 10, "rejected_total": 7,
              "rejected": {"duplicate": 4, "bad-digest": 3}}
})";

TEST(FormatStatusText, ShowsNodesLinksPingMediaAndPackets) {
  std::string text = FormatStatusText(nlohmann::json::parse(kStatus));
  EXPECT_NE(text.find("hbd 0.1.0 on node1: active\n"), std::string::npos) << text;
  EXPECT_NE(text.find("node1           active   (this node)"), std::string::npos) << text;
  EXPECT_NE(text.find("node2           active   last packet 42 ms ago, reaches 1 ping node"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("link eth1      dead   last packet 3100 ms ago"), std::string::npos) << text;
  EXPECT_NE(text.find("192.0.2.254     ping     last reply 7 ms ago"), std::string::npos) << text;
  EXPECT_NE(text.find("mcast eth0 239.255.0.1:694: open, sent 5, received 4"), std::string::npos)
      << text;
  EXPECT_NE(text.find("10 accepted, 4 duplicate copies (same message on another medium), 3 "
                      "rejected (bad-digest 3)"),
            std::string::npos)
      << text;
}

TEST(FormatStatusText, AFreeGroupShowsWhatItWaitsFor) {
  auto status = nlohmann::json::parse(R"({"node": "node2", "status": "active", "comm_up": true,
    "resources_held": "none",
    "groups": [{"key": "IPaddr::192.0.2.10", "preferred_node": "node1", "state_here": "stopped",
                "holder": "", "waiting": "to be started by node1"}]})");
  std::string text = FormatStatusText(status);
  EXPECT_NE(text.find("IPaddr::192.0.2.10: not running (preferred node1; here stopped)\n"
                      "    to be started by node1\n"),
            std::string::npos)
      << text;
}

TEST(FormatStatusText, WaitingAndMissingFieldsDoNotThrow) {
  auto status = nlohmann::json::parse(R"({"node": "n", "status": "up", "comm_up": false})");
  std::string text = FormatStatusText(status);
  EXPECT_NE(text.find("n: up (waiting for the other nodes)"), std::string::npos) << text;
  EXPECT_NO_THROW(FormatStatusText(nlohmann::json::object()));
}

}  // namespace
}  // namespace hbd::control
