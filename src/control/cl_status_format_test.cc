#include "control/cl_status_format.h"

#include <gtest/gtest.h>

namespace hbd::control {
namespace {

nlohmann::json Sample() {
  return nlohmann::json::parse(R"({
    "schema": 1, "version": "0.1.0", "node": "alice", "status": "active",
    "nodes": [
      {"name": "alice", "type": "normal", "status": "active", "local": true},
      {"name": "bob", "type": "normal", "status": "active", "local": false,
       "links": [{"name": "eth0", "status": "up"}, {"name": "eth1", "status": "dead"}]},
      {"name": "carol", "type": "normal", "status": "dead", "local": false, "links": []}
    ],
    "ping": [{"name": "192.0.2.1", "status": "ping"}, {"name": "pg1", "status": "dead",
              "group": true}],
    "media": [{"link": "eth0", "open": true}, {"link": "eth0", "open": false},
              {"link": "eth1", "open": false}],
    "builtins": {"ipfail": true, "dopd": false},
    "resources_held": "local"
  })");
}

ClStatusResult Cl(std::vector<std::string> args) {
  return RunClStatus(args, Sample());
}

TEST(ClStatus, HbStatusPlainAndVerbose) {
  auto r = Cl({"hbstatus"});
  EXPECT_EQ(r.out, "Heartbeat is running on this machine.\n");
  EXPECT_EQ(r.exit_code, 0);
  r = Cl({"hbstatus", "-v"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Heartbeat is running on this machine.\n"
            "version:\t0.1.0 (hbd)\n"
            "managed by:\t\"haresources\"\n"
            "alice\tactive\t(nodetype: normal)\n"
            "\teth0\tup\n"
            "\teth1\tdead\n"
            "bob\tactive\t(nodetype: normal)\n"
            "\teth0\tup\n"
            "\teth1\tdead\n"
            "carol\tdead\t(nodetype: normal)\n"
            "192.0.2.1\tping\t(nodetype: ping)\n"
            "pg1\tdead\t(nodetype: ping)\n");
  EXPECT_EQ(Cl({"hbstatus", "-x"}).exit_code, kClStatusParameterError);
}

TEST(ClStatus, UnreachableDaemon) {
  auto r = ClStatusUnreachable({"hbstatus"}, "connection refused");
  EXPECT_EQ(r.out, "Heartbeat is stopped on this machine.\n");
  EXPECT_EQ(r.exit_code, 1);
  r = ClStatusUnreachable({"listnodes"}, "connection refused");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "cl_status: cannot reach hbd: connection refused\n");
  EXPECT_EQ(r.exit_code, 1);
}

TEST(ClStatus, ListNodesWithFilters) {
  EXPECT_EQ(Cl({"listnodes"}).out, "alice\nbob\ncarol\n192.0.2.1\npg1\n");
  EXPECT_EQ(Cl({"listnodes", "-p"}).out, "192.0.2.1\npg1\n");
  EXPECT_EQ(Cl({"listnodes", "-n"}).out, "alice\nbob\ncarol\n");
  EXPECT_EQ(Cl({"listnodes", "-q"}).exit_code, kClStatusParameterError);
}

TEST(ClStatus, NodeStatusExitCodes) {
  auto r = Cl({"nodestatus", "bob"});
  EXPECT_EQ(r.out, "active\n");
  EXPECT_EQ(r.exit_code, 0);
  r = Cl({"nodestatus", "BOB"});  // node names are case-insensitive, as in ha.cf
  EXPECT_EQ(r.out, "active\n");
  r = Cl({"nodestatus", "carol"});
  EXPECT_EQ(r.out, "dead\n");
  EXPECT_EQ(r.exit_code, 1);
  r = Cl({"nodestatus", "192.0.2.1"});
  EXPECT_EQ(r.out, "ping\n");
  EXPECT_EQ(r.exit_code, 0);
  r = Cl({"nodestatus", "pg1"});
  EXPECT_EQ(r.out, "dead\n");
  EXPECT_EQ(r.exit_code, 1);
  r = Cl({"nodestatus", "dave"});
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "cl_status: unknown node 'dave'\n");
  EXPECT_EQ(r.exit_code, kClStatusParameterError);
  EXPECT_EQ(Cl({"nodestatus"}).exit_code, kClStatusParameterError);
}

TEST(ClStatus, NodeType) {
  EXPECT_EQ(Cl({"nodetype", "alice"}).out, "normal\n");
  EXPECT_EQ(Cl({"nodetype", "192.0.2.1"}).out, "ping\n");
  EXPECT_EQ(Cl({"nodetype", "nobody"}).exit_code, kClStatusParameterError);
}

TEST(ClStatus, LinksOfPeersLocalAndPingNodes) {
  EXPECT_EQ(Cl({"listhblinks", "bob"}).out, "\teth0\n\teth1\n");
  EXPECT_EQ(Cl({"listhblinks", "-v", "bob"}).out, "\teth0\tup\n\teth1\tdead\n");
  // This node's links: the interfaces of its media, up while one medium on it is open.
  EXPECT_EQ(Cl({"listhblinks", "-v", "alice"}).out, "\teth0\tup\n\teth1\tdead\n");
  EXPECT_EQ(Cl({"listhblinks", "192.0.2.1"}).out, "\t192.0.2.1\n");
  EXPECT_EQ(Cl({"listhblinks", "carol"}).out, "");
  auto r = Cl({"hblinkstatus", "bob", "eth0"});
  EXPECT_EQ(r.out, "up\n");
  EXPECT_EQ(r.exit_code, 0);
  r = Cl({"hblinkstatus", "bob", "eth1"});
  EXPECT_EQ(r.out, "dead\n");
  EXPECT_EQ(r.exit_code, 1);
  r = Cl({"hblinkstatus", "bob", "eth9"});
  EXPECT_EQ(r.err, "cl_status: node 'bob' has no link 'eth9'\n");
  EXPECT_EQ(r.exit_code, kClStatusParameterError);
  EXPECT_EQ(Cl({"hblinkstatus", "zed", "eth0"}).exit_code, kClStatusParameterError);
}

TEST(ClStatus, RscStatus) {
  EXPECT_EQ(Cl({"rscstatus"}).out, "local\n");
  for (const char* held : {"none", "foreign", "all", "transition"}) {
    auto s = Sample();
    s["resources_held"] = held;
    EXPECT_EQ(RunClStatus({"rscstatus"}, s).out, std::string(held) + "\n");
  }
  auto s = Sample();
  s.erase("resources_held");
  EXPECT_EQ(RunClStatus({"rscstatus"}, s).out, "none\n");
}

TEST(ClStatus, ClientStatusForBuiltIns) {
  auto r = Cl({"clientstatus", "alice", "ipfail"});
  EXPECT_EQ(r.out, "online\n");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(Cl({"clientstatus", "bob", "ipfail", "500"}).out, "online\n");
  r = Cl({"clientstatus", "carol", "ipfail"});  // dead node
  EXPECT_EQ(r.out, "offline\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Cl({"clientstatus", "alice", "dopd"}).out, "offline\n");
  EXPECT_EQ(Cl({"clientstatus", "alice", "crmd"}).out, "offline\n");
  EXPECT_EQ(Cl({"clientstatus", "192.0.2.1", "ipfail"}).out, "offline\n");
  EXPECT_EQ(Cl({"clientstatus", "dave", "ipfail"}).exit_code, kClStatusParameterError);
}

TEST(ClStatus, UsageAndUnknownSubcommand) {
  auto r = RunClStatus({}, nlohmann::json::object());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("hbstatus"), std::string::npos);
  r = Cl({"frobnicate"});
  EXPECT_EQ(r.exit_code, kClStatusParameterError);
  EXPECT_NE(r.err.find("unknown subcommand 'frobnicate'"), std::string::npos);
  EXPECT_FALSE(ClStatusNeedsDaemon({"frobnicate"}));
  EXPECT_TRUE(ClStatusNeedsDaemon({"rscstatus"}));
}

TEST(ClStatus, MalformedStatusDoesNotCrash) {
  auto odd = nlohmann::json::parse(R"({"nodes": 5, "ping": [{"name": 3}], "media": "x"})");
  EXPECT_EQ(RunClStatus({"listnodes"}, odd).exit_code, 0);
  EXPECT_EQ(RunClStatus({"nodestatus", "x"}, odd).exit_code, kClStatusParameterError);
  auto odd2 = nlohmann::json::parse(
      R"({"nodes": [1, {"name": "x", "local": "yes", "links": [2]}], "builtins": {"ipfail": 1}})");
  EXPECT_EQ(RunClStatus({"listhblinks", "x"}, odd2).out, "\t\n");
  EXPECT_EQ(RunClStatus({"clientstatus", "x", "ipfail"}, odd2).out, "offline\n");
  EXPECT_EQ(RunClStatus({"hbstatus", "-v"}, nlohmann::json::array()).exit_code, 0);
}

}  // namespace
}  // namespace hbd::control
