#include "config/config_validator.h"

#include <gtest/gtest.h>

#include <set>

namespace hbd::config {
namespace {

SourceLocation At(int line, const char* file = "ha.cf") {
  return {file, line};
}

Resource Res(std::string type, std::vector<std::string> args = {}, int line = 1) {
  Resource r;
  r.type = std::move(type);
  r.args = std::move(args);
  r.where = At(line, "haresources");
  return r;
}

// A valid two-node cluster: every test breaks one thing.
ClusterConfig Valid() {
  ClusterConfig c;
  c.nodes = {"node1", "node2"};
  c.timings.keepalive = Millis(500);
  c.timings.deadtime = Millis(10000);
  c.timings.warntime = Millis(5000);
  c.timings.initdead = Millis(30000);
  Medium m;
  m.type = MediumType::kMcast;
  m.interface = "eth0";
  m.address = "239.255.0.1";
  m.where = At(5);
  c.media.push_back(m);
  ResourceGroup g;
  g.preferred_node = "node1";
  g.where = At(1, "haresources");
  g.resources = {Res("drbddisk"), Res("Filesystem", {"/dev/drbd0", "/drbd", "ext3"}), Res("mysql"),
                 Res("IPaddr", {"192.0.2.10"})};
  c.groups.push_back(g);
  c.auth.sign_index = 1;
  c.auth.keys.push_back({1, AuthMethod::kSha1, "secret", At(2, "authkeys")});
  return c;
}

ValidationContext Context() {
  ValidationContext ctx;
  ctx.local_node = "node1";
  ctx.resource_dirs = {"/rd"};
  static const std::set<std::string> scripts = {"/rd/drbddisk", "/rd/Filesystem", "/rd/mysql",
                                                "/rd/IPaddr", "/ocf/resource.d/heartbeat/IPaddr2"};
  ctx.ocf_root = "/ocf";
  ctx.is_executable = [](const std::string& p) { return scripts.count(p) > 0; };
  ctx.interface_exists = [](const std::string& i) { return i == "eth0" || i == "eth1"; };
  return ctx;
}

Diagnostics Check(const ClusterConfig& c, const ValidationContext& ctx = Context()) {
  Diagnostics d;
  ValidateConfig(c, ctx, d);
  return d;
}

TEST(ValidateConfig, ValidConfigIsClean) {
  auto d = Check(Valid());
  for (const auto& item : d.items())
    ADD_FAILURE() << item.Format();
}

TEST(ValidateConfig, DeadtimeMustExceedTwiceKeepalive) {
  auto c = Valid();
  c.timings.deadtime = Millis(1000);
  c.timings.warntime = Millis(600);
  c.timings.initdead = Millis(2000);
  c.timings.deadtime_at = At(9);
  auto d = Check(c);
  ASSERT_TRUE(d.HasErrors());
  EXPECT_TRUE(d.Mentions("more than twice keepalive"));
  EXPECT_EQ(d.items()[0].line, 9);
}

TEST(ValidateConfig, WarntimeMustBeBelowDeadtime) {
  auto c = Valid();
  c.timings.warntime = Millis(10000);
  c.timings.warntime_at = At(4);
  auto d = Check(c);
  EXPECT_EQ(d.ErrorCount(), 1);
  EXPECT_TRUE(d.Mentions("warntime (10000 ms) must be less than deadtime"));
  EXPECT_EQ(d.items()[0].line, 4);
}

TEST(ValidateConfig, KeepaliveMustBeBelowWarntime) {
  auto c = Valid();
  c.timings.warntime = Millis(500);
  EXPECT_TRUE(Check(c).Mentions("every heartbeat would be reported late"));
}

TEST(ValidateConfig, InitdeadRules) {
  auto c = Valid();
  c.timings.initdead = Millis(5000);
  auto d = Check(c);
  EXPECT_TRUE(d.Mentions("must not be smaller than deadtime"));
  EXPECT_TRUE(d.HasErrors());

  c.timings.initdead = Millis(15000);  // >= deadtime but < 2 x deadtime: a warning only
  d = Check(c);
  EXPECT_FALSE(d.HasErrors());
  EXPECT_EQ(d.WarningCount(), 1);
  EXPECT_TRUE(d.Mentions("less than twice deadtime"));
}

TEST(ValidateConfig, DeadpingRules) {
  auto c = Valid();
  c.timings.deadping = Millis(900);
  EXPECT_TRUE(Check(c).Mentions("deadping (900 ms) must be more than twice keepalive"));
  c.timings.deadping = Millis(10000);
  auto d = Check(c);
  EXPECT_FALSE(d.HasErrors());
  EXPECT_TRUE(d.Mentions("deadping (10000 ms) is not less than deadtime"));
  c.timings.deadping = Millis(5000);
  EXPECT_TRUE(Check(c).empty());
}

TEST(ValidateConfig, DefaultTimingsAreValid) {
  auto c = Valid();
  c.timings = Timings{};
  EXPECT_FALSE(Check(c).HasErrors());
}

TEST(ValidateConfig, NeedsAMedium) {
  auto c = Valid();
  c.media.clear();
  EXPECT_TRUE(Check(c).Mentions("no heartbeat media"));
}

TEST(ValidateConfig, ThisHostMustBeANode) {
  auto ctx = Context();
  ctx.local_node = "NODE3";
  auto d = Check(Valid(), ctx);
  EXPECT_TRUE(d.Mentions("this host's node name 'node3'"));
  ctx.local_node = "Node1";  // node names compare case-insensitively, like Heartbeat
  EXPECT_TRUE(Check(Valid(), ctx).empty());
  ctx.local_node = "nod1";
  EXPECT_TRUE(Check(Valid(), ctx).Mentions("did you mean 'node1'?"));
}

TEST(ValidateConfig, PreferredNodeMustBeANode) {
  auto c = Valid();
  c.groups[0].preferred_node = "drbd1";
  c.groups[0].where = At(3, "haresources");
  auto d = Check(c);
  ASSERT_EQ(d.ErrorCount(), 1);
  EXPECT_EQ(d.items()[0].file, "haresources");
  EXPECT_EQ(d.items()[0].line, 3);
  EXPECT_TRUE(d.Mentions("preferred node 'drbd1' is not a 'node'"));
}

TEST(ValidateConfig, MissingInterfaceIsAWarning) {
  auto c = Valid();
  c.media[0].interface = "bond0";
  auto d = Check(c);
  EXPECT_FALSE(d.HasErrors());
  EXPECT_TRUE(d.Mentions("interface 'bond0'"));
  EXPECT_EQ(d.items()[0].line, 5);
}

TEST(ValidateConfig, ResourceScriptMustExist) {
  auto c = Valid();
  c.groups[0].resources.push_back(Res("memcachd", {}, 7));
  auto d = Check(c);
  ASSERT_EQ(d.ErrorCount(), 1);
  EXPECT_EQ(d.items()[0].line, 7);
  EXPECT_TRUE(d.Mentions("no executable script for resource 'memcachd' in /rd"));
}

TEST(ValidateConfig, ResourceNamesCannotEscapeTheDirectory) {
  auto c = Valid();
  c.groups[0].resources.push_back(Res("../rd/mysql"));
  EXPECT_TRUE(Check(c).Mentions("no executable script for resource '../rd/mysql'"));
}

TEST(ValidateConfig, OcfAgentsResolveUnderOcfRoot) {
  auto c = Valid();
  c.groups[0].resources.push_back(Res("ocf:heartbeat:IPaddr2", {"192.0.2.11"}));
  c.groups[0].resources.push_back(Res("OCF", {"IPaddr2", "192.0.2.12"}));
  EXPECT_TRUE(Check(c).empty());
  c.groups[0].resources.push_back(Res("ocf:heartbeat:Nope"));
  EXPECT_TRUE(Check(c).Mentions("'ocf:heartbeat:Nope'"));
}

TEST(ValidateConfig, DuplicateResourceAcrossGroups) {
  auto c = Valid();
  ResourceGroup g;
  g.preferred_node = "node2";
  g.where = At(2, "haresources");
  g.resources = {Res("mysql", {}, 2)};
  c.groups.push_back(g);
  auto d = Check(c);
  ASSERT_EQ(d.ErrorCount(), 1);
  EXPECT_TRUE(d.Mentions("resource 'mysql' already appears at line 1"));
  EXPECT_EQ(d.items()[0].line, 2);
}

TEST(ValidateConfig, SameVipTwice) {
  auto c = Valid();
  ResourceGroup g;
  g.preferred_node = "node2";
  g.where = At(4, "haresources");
  g.resources = {Res("IPaddr", {"192.0.2.10/24/eth0"}, 4)};
  c.groups.push_back(g);
  auto d = Check(c);
  ASSERT_EQ(d.ErrorCount(), 1);
  EXPECT_TRUE(d.Mentions("address 192.0.2.10 is already managed at line 1"));
}

TEST(ValidateConfig, NeedsAKey) {
  auto c = Valid();
  c.auth = AuthConfig{};
  EXPECT_TRUE(Check(c).Mentions("no usable authentication key"));
}

TEST(ValidateConfig, ReportsEveryProblemNotJustTheFirst) {
  auto c = Valid();
  c.media.clear();
  c.timings.warntime = Millis(20000);
  c.groups[0].preferred_node = "elsewhere";
  EXPECT_EQ(Check(c).ErrorCount(), 3);
}

TEST(ManagedAddress, StripsMaskInterfaceAndBroadcast) {
  EXPECT_EQ(ManagedAddress(Res("IPaddr", {"135.9.216.3/28/eth0/135.9.216.12"})), "135.9.216.3");
  EXPECT_EQ(ManagedAddress(Res("mysql")), "");
}

}  // namespace
}  // namespace hbd::config
