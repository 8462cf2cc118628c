#include "resources/resource_action.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace hbd::resources {
namespace {

ActionRequest Request(const std::string& type, std::vector<std::string> args, Action action) {
  ActionRequest r;
  r.resource.type = type;
  r.resource.args = std::move(args);
  r.script_path = "/etc/ha.d/resource.d/" + type;
  r.action = action;
  r.timeout = std::chrono::milliseconds(30000);
  r.local_node = "node1";
  r.config_dir = "/etc/ha.d";
  return r;
}

bool HasVar(const ChildCommand& c, const std::string& var) {
  return std::find(c.env.begin(), c.env.end(), var) != c.env.end();
}

bool HasName(const ChildCommand& c, const std::string& name) {
  return std::any_of(c.env.begin(), c.env.end(),
                     [&](const std::string& v) { return v.rfind(name + "=", 0) == 0; });
}

TEST(ResourceActionTest, HeartbeatArgvIsArgsThenAction) {
  ChildCommand c =
      BuildChildCommand(Request("Filesystem", {"/dev/drbd0", "/data", "ext4"}, Action::kStart));
  ASSERT_EQ(c.error, "");
  EXPECT_EQ(c.path, "/etc/ha.d/resource.d/Filesystem");
  EXPECT_EQ(c.argv, (std::vector<std::string>{"/etc/ha.d/resource.d/Filesystem", "/dev/drbd0",
                                              "/data", "ext4", "start"}));
  c = BuildChildCommand(Request("drbddisk", {}, Action::kStatus));
  EXPECT_EQ(c.argv, (std::vector<std::string>{"/etc/ha.d/resource.d/drbddisk", "status"}));
  c = BuildChildCommand(Request("drbddisk", {"r0"}, Action::kStop));
  EXPECT_EQ(c.argv.back(), "stop");
}

TEST(ResourceActionTest, HeartbeatEnvironmentIsCleanAndComplete) {
  ActionRequest r = Request("IPaddr", {"192.0.2.10"}, Action::kStart);
  r.extra_env = {{"HA_LOGFACILITY", "local0"}, {"HA_DIR", "/elsewhere"}};
  ChildCommand c = BuildChildCommand(r);
  ASSERT_EQ(c.error, "");
  EXPECT_TRUE(HasVar(c, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
  EXPECT_TRUE(HasVar(c, "LANG=C"));
  EXPECT_TRUE(HasVar(c, "HA_DIR=/etc/ha.d"));  // hbd's own value wins over extra_env
  EXPECT_FALSE(HasVar(c, "HA_DIR=/elsewhere"));
  EXPECT_TRUE(HasVar(c, "HA_CURHOST=node1"));
  EXPECT_TRUE(HasVar(c, "HA_RSCTMP=/run/resource-agents"));
  EXPECT_TRUE(HasVar(c, "OCF_ROOT=/usr/lib/ocf"));
  EXPECT_TRUE(HasVar(c, "HA_LOGFACILITY=local0"));
  EXPECT_FALSE(HasName(c, "OCF_RESOURCE_INSTANCE"));
  EXPECT_EQ(c.env.size(), 7u);
}

TEST(ResourceActionTest, OcfProviderFormPassesParametersInEnvironment) {
  ActionRequest r =
      Request("ocf:heartbeat:IPaddr2", {"ip=192.0.2.10", "cidr_netmask=24"}, Action::kStatus);
  r.script_path = "/usr/lib/ocf/resource.d/heartbeat/IPaddr2";
  ChildCommand c = BuildChildCommand(r);
  ASSERT_EQ(c.error, "");
  EXPECT_EQ(c.argv,
            (std::vector<std::string>{"/usr/lib/ocf/resource.d/heartbeat/IPaddr2", "monitor"}));
  EXPECT_TRUE(HasVar(c, "OCF_RESKEY_ip=192.0.2.10"));
  EXPECT_TRUE(HasVar(c, "OCF_RESKEY_cidr_netmask=24"));
  EXPECT_TRUE(HasVar(c, "OCF_ROOT=/usr/lib/ocf"));
  EXPECT_TRUE(HasVar(c, "OCF_RA_VERSION_MAJOR=1"));
  EXPECT_TRUE(HasVar(c, "OCF_RA_VERSION_MINOR=0"));
  EXPECT_TRUE(HasVar(c, "OCF_RESOURCE_TYPE=IPaddr2"));
  EXPECT_TRUE(HasVar(c, "OCF_RESOURCE_PROVIDER=heartbeat"));
  EXPECT_TRUE(HasVar(c, "OCF_RESOURCE_INSTANCE=IPaddr2_192.0.2.10"));
  EXPECT_TRUE(HasVar(c, "OCF_RESKEY_CRM_meta_timeout=30000"));
  EXPECT_TRUE(HasVar(c, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));

  c = BuildChildCommand(Request("ocf:linbit:drbd", {}, Action::kStart));
  ASSERT_EQ(c.error, "");
  EXPECT_EQ(c.argv.back(), "start");
  EXPECT_EQ(c.argv.size(), 2u);
  EXPECT_TRUE(HasVar(c, "OCF_RESOURCE_INSTANCE=drbd"));
  EXPECT_TRUE(HasVar(c, "OCF_RESOURCE_PROVIDER=linbit"));
}

TEST(ResourceActionTest, HeartbeatOcfFormTakesTypeInstanceAndParameters) {
  ChildCommand c = BuildChildCommand(Request(
      "OCF", {"Filesystem", "data", "device=/dev/drbd0", "directory=/data"}, Action::kStop));
  ASSERT_EQ(c.error, "");
  EXPECT_EQ(c.argv.size(), 2u);
  EXPECT_EQ(c.argv.back(), "stop");
  EXPECT_TRUE(HasVar(c, "OCF_RESOURCE_TYPE=Filesystem"));
  EXPECT_TRUE(HasVar(c, "OCF_RESOURCE_INSTANCE=data"));
  EXPECT_TRUE(HasVar(c, "OCF_RESOURCE_PROVIDER=heartbeat"));
  EXPECT_TRUE(HasVar(c, "OCF_RESKEY_device=/dev/drbd0"));
  EXPECT_TRUE(HasVar(c, "OCF_RESKEY_directory=/data"));

  // No instance name: made from the first parameter, safe for file names.
  c = BuildChildCommand(Request("OCF", {"Filesystem", "device=/dev/drbd0"}, Action::kStart));
  ASSERT_EQ(c.error, "");
  EXPECT_TRUE(HasVar(c, "OCF_RESOURCE_INSTANCE=Filesystem__dev_drbd0"));
}

TEST(ResourceActionTest, OcfArgumentThatIsNotAParameterIsAnError) {
  ChildCommand c = BuildChildCommand(
      Request("ocf:heartbeat:IPaddr2", {"ip=192.0.2.10", "eth0"}, Action::kStart));
  EXPECT_NE(c.error.find("'eth0' is not a parameter"), std::string::npos) << c.error;
  EXPECT_TRUE(c.argv.empty());
  EXPECT_TRUE(c.env.empty());
  // OCF::TYPE::INSTANCE allows one bare word (the instance), not two.
  c = BuildChildCommand(Request("OCF", {"Filesystem", "data", "more"}, Action::kStart));
  EXPECT_NE(c.error.find("'more'"), std::string::npos) << c.error;
  c = BuildChildCommand(Request("OCF", {}, Action::kStart));
  EXPECT_NE(c.error.find("needs an agent type"), std::string::npos) << c.error;
  c = BuildChildCommand(Request("ocf:heartbeat:X", {"bad-key=1"}, Action::kStart));
  EXPECT_NE(c.error.find("'bad-key=1'"), std::string::npos) << c.error;
  c = BuildChildCommand(Request("ocf:heartbeat:X", {"=1"}, Action::kStart));
  EXPECT_NE(c.error, "");
  c = BuildChildCommand(Request("ocf:heartbeat:X", {"a=1", "a=2"}, Action::kStart));
  EXPECT_NE(c.error.find("given twice"), std::string::npos) << c.error;
  c = BuildChildCommand(Request("ocf:heartbeat", {}, Action::kStart));
  EXPECT_NE(c.error, "");
}

TEST(ResourceActionTest, UnusableRequestsAreErrors) {
  ActionRequest r = Request("IPaddr", {"192.0.2.10"}, Action::kStart);
  r.script_path = "";
  EXPECT_NE(BuildChildCommand(r).error, "");
  r.script_path = "relative/IPaddr";
  EXPECT_NE(BuildChildCommand(r).error, "");
  r = Request("IPaddr", {"192.0.2.10"}, Action::kStart);
  r.extra_env = {{"BAD=NAME", "x"}};
  EXPECT_NE(BuildChildCommand(r).error.find("BAD=NAME"), std::string::npos);
  r.extra_env = {{"HA_X", std::string("a\0b", 3)}};
  EXPECT_NE(BuildChildCommand(r).error, "");
  r.extra_env = {};
  r.resource.args = {std::string("x\0y", 3)};
  EXPECT_NE(BuildChildCommand(r).error, "");
}

TEST(ResourceActionTest, ActionWords) {
  EXPECT_STREQ(ActionWord(Action::kStatus, ScriptStyle::kHeartbeat), "status");
  EXPECT_STREQ(ActionWord(Action::kStatus, ScriptStyle::kOcf), "monitor");
  EXPECT_STREQ(ActionWord(Action::kStart, ScriptStyle::kOcf), "start");
  EXPECT_STREQ(ActionWord(Action::kStop, ScriptStyle::kHeartbeat), "stop");
  EXPECT_EQ(StyleOf(config::Resource{"ocf:heartbeat:IPaddr2", {}, {}}), ScriptStyle::kOcf);
  EXPECT_EQ(StyleOf(config::Resource{"OCF", {"IPaddr2"}, {}}), ScriptStyle::kOcf);
  EXPECT_EQ(StyleOf(config::Resource{"IPaddr2", {}, {}}), ScriptStyle::kHeartbeat);
  EXPECT_EQ(StyleOf(config::Resource{"ocfish", {}, {}}), ScriptStyle::kHeartbeat);
}

TEST(ResourceActionTest, HeartbeatStatusTextRule) {
  EXPECT_TRUE(HeartbeatStatusSaysRunning("running"));
  EXPECT_TRUE(HeartbeatStatusSaysRunning("Running OK\n"));
  EXPECT_TRUE(HeartbeatStatusSaysRunning("running (Primary)\n"));
  EXPECT_TRUE(HeartbeatStatusSaysRunning("status OK"));
  EXPECT_TRUE(HeartbeatStatusSaysRunning("status unknown, may be running (Unknown)"));
  EXPECT_TRUE(HeartbeatStatusSaysRunning("mysqld is running\n"));
  EXPECT_FALSE(HeartbeatStatusSaysRunning("not running"));
  EXPECT_FALSE(HeartbeatStatusSaysRunning("NOT running"));
  EXPECT_FALSE(HeartbeatStatusSaysRunning("Not Running"));
  EXPECT_FALSE(HeartbeatStatusSaysRunning("memcached is not currently running, OK"));
  // The glob needs "not" then exactly one space, then anything: "cannot " matches it too.
  EXPECT_FALSE(HeartbeatStatusSaysRunning("cannot determine status, may be running"));
  EXPECT_FALSE(HeartbeatStatusSaysRunning("stopped (Secondary)"));
  EXPECT_FALSE(HeartbeatStatusSaysRunning(""));
  EXPECT_FALSE(HeartbeatStatusSaysRunning("ok"));         // *OK* is case-sensitive
  EXPECT_FALSE(HeartbeatStatusSaysRunning("RUNNING"));    // only the R is case-insensitive
  EXPECT_TRUE(HeartbeatStatusSaysRunning("notrunning"));  // no space after "not"
  EXPECT_TRUE(HeartbeatStatusSaysRunning("running, not stopped"));  // "running" before "not "
  EXPECT_FALSE(HeartbeatStatusSaysRunning("running\nnot running"));
  EXPECT_FALSE(HeartbeatStatusSaysRunning("not  running"));  // "\ *" = space then anything
}

TEST(ResourceActionTest, OcfExitCodes) {
  EXPECT_EQ(OcfMonitorStatus(0), OcfStatus::kRunning);
  EXPECT_EQ(OcfMonitorStatus(8), OcfStatus::kRunning);
  EXPECT_EQ(OcfMonitorStatus(7), OcfStatus::kNotRunning);
  for (int rc : {1, 2, 3, 4, 5, 6, 9, 127, 255, -1})
    EXPECT_EQ(OcfMonitorStatus(rc), OcfStatus::kFailed) << rc;
  EXPECT_STREQ(OcfExitCodeName(7), "OCF_NOT_RUNNING");
  EXPECT_STREQ(OcfExitCodeName(5), "OCF_ERR_INSTALLED");
  EXPECT_STREQ(OcfExitCodeName(42), "unknown");
}

TEST(ResourceActionTest, JudgeFinishedAction) {
  ActionResult r;
  JudgeFinishedAction(Action::kStart, ScriptStyle::kHeartbeat, 0, "", r);
  EXPECT_TRUE(r.ok);
  r = {};
  JudgeFinishedAction(Action::kStop, ScriptStyle::kOcf, 1, "", r);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("OCF_ERR_GENERIC"), std::string::npos) << r.error;
  r = {};
  // Heartbeat status: the exit code is ignored.
  JudgeFinishedAction(Action::kStatus, ScriptStyle::kHeartbeat, 3, "running", r);
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.running);
  r = {};
  JudgeFinishedAction(Action::kStatus, ScriptStyle::kHeartbeat, 0, "stopped", r);
  EXPECT_TRUE(r.ok);
  EXPECT_FALSE(r.running);
  r = {};
  // OCF: the text is ignored.
  JudgeFinishedAction(Action::kStatus, ScriptStyle::kOcf, 7, "running", r);
  EXPECT_TRUE(r.ok);
  EXPECT_FALSE(r.running);
  r = {};
  JudgeFinishedAction(Action::kStatus, ScriptStyle::kOcf, 0, "not running", r);
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.running);
  r = {};
  JudgeFinishedAction(Action::kStatus, ScriptStyle::kOcf, 1, "", r);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.running);
}

TEST(ResourceActionTest, ScriptEnvironmentFromConfig) {
  config::ClusterConfig c;
  c.logging.facility = "local0";
  c.logging.logfile = "/var/log/ha-log";
  c.logging.debug = 1;
  c.env = {{"DRBD_PEER", "node2"}, {"EMPTY", ""}};
  auto env = ScriptEnvironment(c);
  EXPECT_EQ(env.at("HA_LOGFACILITY"), "local0");
  EXPECT_EQ(env.at("HA_LOGFILE"), "/var/log/ha-log");
  EXPECT_EQ(env.count("HA_DEBUGLOG"), 0u);
  EXPECT_EQ(env.at("HA_debug"), "1");
  EXPECT_EQ(env.at("HA_DRBD_PEER"), "node2");
  EXPECT_EQ(env.at("HA_EMPTY"), "");
}

}  // namespace
}  // namespace hbd::resources
