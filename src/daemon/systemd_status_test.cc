#include "daemon/systemd_status.h"

#include <gtest/gtest.h>

namespace hbd::daemon {
namespace {

using nlohmann::json;

json Node(const std::string& name, const std::string& status, bool local = false) {
  return {{"name", name}, {"type", "normal"}, {"status", status}, {"local", local}};
}

json Group(const std::string& key, const std::string& state) {
  return {{"key", key}, {"state_here", state}, {"holder", ""}};
}

TEST(SystemdStatusLine, ActiveNodeHoldingOneGroupWithItsPeerUp) {
  json status = {{"status", "active"},
                 {"stopping", false},
                 {"nodes", {Node("node1", "active", true), Node("node2", "active")}},
                 {"groups",
                  {Group("IPaddr::192.0.2.10/24/eth0", "running"),
                   Group("IPaddr::192.0.2.20/24/eth0", "stopped")}}};
  EXPECT_EQ(SystemdStatusLine(status), "active; holds IPaddr::192.0.2.10/24/eth0; 1 of 1 peers up");
}

TEST(SystemdStatusLine, CountsOnlyLivePeersAndNamesTransitions) {
  json status = {{"status", "active"},
                 {"nodes",
                  {Node("node1", "active", true), Node("node2", "dead"), Node("node3", "up"),
                   Node("node4", "init")}},
                 {"groups",
                  {Group("a", "starting"), Group("b", "stopping"), Group("c", "failed"),
                   Group("d", "released"), Group("e", "stop-failed")}}};
  EXPECT_EQ(SystemdStatusLine(status),
            "active; holds e (stop failed); starting a; stopping b; failed to start c; "
            "1 of 3 peers up");
}

TEST(SystemdStatusLine, StoppingWinsOverTheMembershipStatus) {
  json status = {{"status", "active"},
                 {"stopping", true},
                 {"nodes", {Node("node1", "active", true)}},
                 {"groups", {Group("a", "stopping")}}};
  EXPECT_EQ(SystemdStatusLine(status), "stopping; holds nothing; stopping a; no peers");
}

TEST(SystemdStatusLine, LongListsAreCounted) {
  json groups = json::array();
  for (const char* k : {"g1", "g2", "g3", "g4", "g5"})
    groups.push_back(Group(k, "running"));
  json status = {{"status", "up"}, {"nodes", json::array()}, {"groups", groups}};
  EXPECT_EQ(SystemdStatusLine(status), "up; holds g1, g2, g3 and 2 more; no peers");
}

TEST(SystemdStatusLine, MalformedInputGivesOneLineNotACrash) {
  EXPECT_EQ(SystemdStatusLine(json()), "unknown; holds nothing; no peers");
  EXPECT_EQ(SystemdStatusLine(json::array({1, 2})), "unknown; holds nothing; no peers");
  json status = {{"status", 7},
                 {"nodes", {1, "x", {{"local", "yes"}, {"status", "up"}}}},
                 {"groups", {{{"key", "a\nb"}, {"state_here", "running"}}, {{"key", 3}}}}};
  std::string line = SystemdStatusLine(status);
  EXPECT_EQ(line, "unknown; holds a b; 1 of 3 peers up");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace hbd::daemon
