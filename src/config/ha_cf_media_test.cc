// Tests of ha.cf's media lines (bcast, udp, mcast, mcast6, ucast, ucast6) and ping lines.
#include <gtest/gtest.h>

#include "config/ha_cf_test_util.h"

namespace hbd::config {
namespace {

using testing::Clean;
using testing::OnlyError;
using testing::OnlyWarning;
using testing::ParseText;

TEST(HaCfMedia, BcastOneMediumPerInterface) {
  auto p = ParseText("bcast eth0\nbcast eth1 eth2,eth3\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.media.size(), 4u);
  EXPECT_EQ(p.config.media[0].type, MediumType::kBcast);
  EXPECT_EQ(p.config.media[0].interface, "eth0");
  EXPECT_EQ(p.config.media[0].port, 694);
  EXPECT_EQ(p.config.media[0].where.line, 1);
  EXPECT_EQ(p.config.media[0].address, "");
  EXPECT_EQ(p.config.media[3].interface, "eth3");
  EXPECT_EQ(p.config.media[3].where.line, 2);
}

TEST(HaCfMedia, UdpportAfterBcastIsAnErrorNamingBothLines) {
  auto p = ParseText("node a\nbcast eth0\nudpport 7000\n");
  ASSERT_TRUE(OnlyError(p, 3, "udpport setting must precede media statements"));
  EXPECT_TRUE(p.diags.Mentions("udpport on line 3 comes after the bcast on line 2"));
}

TEST(HaCfMedia, UdpportAfterUcastIsAnError) {
  auto p = ParseText("ucast eth0 192.0.2.2\n\nudpport 700\n");
  ASSERT_TRUE(OnlyError(p, 3, "udpport setting must precede media statements"));
  EXPECT_TRUE(p.diags.Mentions("after the ucast on line 1"));
}

TEST(HaCfMedia, UdpportAfterMcastIsFine) {
  auto p = ParseText("mcast eth0 239.255.0.1 694 1 0\nudpport 7000\nbcast eth1\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.media.size(), 2u);
  EXPECT_EQ(p.config.udpport, 7000);
  EXPECT_EQ(p.config.media[1].port, 7000);
}

TEST(HaCfMedia, UdpportBeforeMediaSetsTheirPort) {
  auto p = ParseText("udpport 5405\nbcast eth0\nucast eth1 192.0.2.7\nucast6 eth1 2001:db8::7\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.media.size(), 3u);
  for (const auto& m : p.config.media)
    EXPECT_EQ(m.port, 5405);
}

TEST(HaCfMedia, UdpIsAnAliasOfBcastWithAWarning) {
  auto p = ParseText("udp eth0 eth1\n");
  ASSERT_TRUE(OnlyWarning(p, 1, "'udp' is an old alias of 'bcast'"));
  ASSERT_EQ(p.config.media.size(), 2u);
  EXPECT_EQ(p.config.media[1].type, MediumType::kBcast);
  EXPECT_EQ(p.config.media[1].interface, "eth1");
}

TEST(HaCfMedia, BadInterfaceName) {
  auto p = ParseText("bcast averyveryverylongname0\n");
  ASSERT_TRUE(OnlyError(p, 1, "'averyveryverylongname0' is not a network interface name"));
  EXPECT_TRUE(p.config.media.empty());
  EXPECT_TRUE(OnlyError(ParseText("\nbcast eth/0\n"), 2, "not a network interface name"));
}

TEST(HaCfMedia, BcastWithoutInterface) {
  EXPECT_TRUE(OnlyError(ParseText("bcast\n"), 1, "bcast needs at least one value"));
  EXPECT_TRUE(OnlyError(ParseText("bcast ,\n"), 1, "bcast needs at least one value"));
}

TEST(HaCfMedia, McastStoresEveryValue) {
  auto p = ParseText("mcast eth0 239.255.1.2 6940 2 1\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.media.size(), 1u);
  const Medium& m = p.config.media[0];
  EXPECT_EQ(m.type, MediumType::kMcast);
  EXPECT_EQ(m.interface, "eth0");
  EXPECT_EQ(m.address, "239.255.1.2");
  EXPECT_EQ(m.port, 6940);
  EXPECT_EQ(m.ttl, 2);
  EXPECT_TRUE(m.loop);
  EXPECT_EQ(m.where.line, 1);
}

TEST(HaCfMedia, McastUsesItsOwnPortNotUdpport) {
  auto p = ParseText("udpport 700\nmcast eth0 225.0.0.1 694 1 0\n");
  ASSERT_TRUE(Clean(p));
  EXPECT_EQ(p.config.media.at(0).port, 694);
}

TEST(HaCfMedia, McastWithTheGroupMissingIsAcceptedWithHeartbeatsDefaultGroup) {
  auto p = ParseText("# MySQL manual\nmcast bond0 694 2 0\n");
  EXPECT_FALSE(p.diags.HasErrors());
  ASSERT_EQ(p.diags.WarningCount(), 1);
  EXPECT_EQ(p.diags.items().at(0).line, 2);
  EXPECT_TRUE(p.diags.Mentions("mcast has no group address"));
  EXPECT_TRUE(p.diags.Mentions("Write it out: mcast bond0 225.0.0.1 694 2 0"));
  ASSERT_EQ(p.config.media.size(), 1u);
  EXPECT_EQ(p.config.media[0].address, "225.0.0.1");
  EXPECT_EQ(p.config.media[0].port, 694);
  EXPECT_EQ(p.config.media[0].ttl, 2);
}

TEST(HaCfMedia, Mcast6WithTheGroupMissingSaysSo) {
  auto p = ParseText("mcast6 eth0 694 1 0\n");
  ASSERT_TRUE(OnlyError(p, 1, "mcast6 needs 5 values: DEV GROUP PORT HOPS LOOP"));
  EXPECT_TRUE(p.diags.Mentions("the group address seems to be missing"));
  EXPECT_TRUE(p.config.media.empty());
}

TEST(HaCfMedia, McastWrongCount) {
  auto p = ParseText("mcast eth0 239.0.0.1 694 1\n");
  ASSERT_TRUE(OnlyError(p, 1, "mcast needs 5 values: DEV GROUP PORT TTL LOOP; got 4"));
  EXPECT_TRUE(OnlyError(ParseText("mcast\n"), 1, "mcast needs 5 values"));
  EXPECT_TRUE(OnlyError(ParseText("mcast eth0 239.0.0.1 694 1 0 9\n"), 1, "got 6"));
}

TEST(HaCfMedia, McastGroupMustBeMulticast) {
  EXPECT_TRUE(
      OnlyError(ParseText("mcast eth0 192.0.2.1 694 1 0\n"), 1,
                "'192.0.2.1' is not a multicast group address (224.0.0.0-239.255.255.255)"));
  EXPECT_TRUE(
      OnlyError(ParseText("mcast eth0 240.0.0.1 694 1 0\n"), 1, "not a multicast group address"));
  EXPECT_TRUE(OnlyError(ParseText("mcast eth0 mygroup 694 1 0\n"), 1,
                        "'mygroup' is not an IPv4 multicast group"));
  EXPECT_TRUE(Clean(ParseText("mcast eth0 224.0.0.1 694 1 0\n")));
}

TEST(HaCfMedia, McastPortTtlLoopRanges) {
  EXPECT_TRUE(OnlyError(ParseText("mcast eth0 239.0.0.1 0 1 0\n"), 1,
                        "port '0' is not a UDP port number (1-65535)"));
  EXPECT_TRUE(OnlyError(ParseText("mcast eth0 239.0.0.1 65536 1 0\n"), 1, "port '65536'"));
  EXPECT_TRUE(OnlyError(ParseText("mcast eth0 239.0.0.1 694 256 0\n"), 1,
                        "TTL '256' is not a number from 0 to 255"));
  EXPECT_TRUE(OnlyError(ParseText("mcast eth0 239.0.0.1 694 -1 0\n"), 1, "TTL '-1'"));
  EXPECT_TRUE(OnlyError(ParseText("mcast eth0 239.0.0.1 694 1 2\n"), 1, "LOOP '2' must be 0 or 1"));
}

TEST(HaCfMedia, McastSeveralBadValuesAreAllReported) {
  auto p = ParseText("mcast eth0 10.0.0.1 x 1 yes\n");
  EXPECT_EQ(p.Errors().size(), 3u) << p.Dump();
  EXPECT_TRUE(p.config.media.empty());
}

// Heartbeat's mcast plugin refuses TTL > 4 although its man page says 0-255. hbd accepts up to
// 255 and warns, since a Heartbeat node sharing the file would not start.
TEST(HaCfMedia, McastTtlAboveFourIsAcceptedWithAWarning) {
  auto p = ParseText("mcast eth0 239.0.0.1 694 32 0\n");
  ASSERT_TRUE(OnlyWarning(p, 1, "Heartbeat 3 refuses values above 4"));
  EXPECT_EQ(p.config.media.at(0).ttl, 32);
  EXPECT_TRUE(Clean(ParseText("mcast eth0 239.0.0.1 694 4 0\n")));
  EXPECT_TRUE(OnlyWarning(ParseText("mcast eth0 239.0.0.1 694 0 0\n"), 1, "TTL 0 keeps"));
}

TEST(HaCfMedia, Mcast6) {
  auto p = ParseText("mcast6 eth0 ff05::694 694 1 0\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.media.size(), 1u);
  EXPECT_EQ(p.config.media[0].type, MediumType::kMcast6);
  EXPECT_EQ(p.config.media[0].address, "ff05::694");
  EXPECT_TRUE(OnlyError(ParseText("mcast6 eth0 2001:db8::1 694 1 0\n"), 1,
                        "'2001:db8::1' is not a multicast group address (ff00::/8)"));
  EXPECT_TRUE(
      OnlyError(ParseText("mcast6 eth0 239.0.0.1 694 1 0\n"), 1, "is not an IPv6 multicast group"));
  EXPECT_TRUE(OnlyError(ParseText("mcast6 eth0 694 1 0\n"), 1,
                        "mcast6 needs 5 values: DEV GROUP PORT HOPS LOOP; '694' is not a "
                        "multicast group"));
  EXPECT_TRUE(OnlyError(ParseText("mcast6 eth0 ff02::1 694 300 0\n"), 1, "HOPS '300'"));
}

TEST(HaCfMedia, UcastIPv4AndHostName) {
  auto p = ParseText("ucast eth0 192.0.2.2\nucast eth1 peer-b.example.com\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.media.size(), 2u);
  EXPECT_EQ(p.config.media[0].type, MediumType::kUcast);
  EXPECT_EQ(p.config.media[0].interface, "eth0");
  EXPECT_EQ(p.config.media[0].address, "192.0.2.2");
  EXPECT_EQ(p.config.media[0].port, 694);
  EXPECT_EQ(p.config.media[1].address, "peer-b.example.com");
  EXPECT_EQ(p.config.media[1].where.line, 2);
}

TEST(HaCfMedia, UcastSeveralPeersGiveOneMediumEach) {
  auto p = ParseText("ucast eth0 192.0.2.1 192.0.2.2\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.media.size(), 2u);
  EXPECT_EQ(p.config.media[1].address, "192.0.2.2");
}

TEST(HaCfMedia, UcastErrors) {
  EXPECT_TRUE(OnlyError(ParseText("ucast eth0\n"), 1, "ucast needs 2 values: DEV PEER; got 1"));
  EXPECT_TRUE(OnlyError(ParseText("ucast eth0 192.0.2.300\n"), 1,
                        "peer '192.0.2.300' is neither an IPv4 address nor a host name"));
  EXPECT_TRUE(OnlyError(ParseText("ucast eth0 peer_b\n"), 1, "peer 'peer_b' is neither"));
  EXPECT_TRUE(OnlyError(ParseText("ucast eth0 2001:db8::2\n"), 1,
                        "is an IPv6 address; use ucast6 for IPv6 peers"));
}

TEST(HaCfMedia, Ucast6) {
  auto p = ParseText("ucast6 eth1 fe80::5054:ff:fe29:3949%eth1\nucast6 eth1 2001:db8::9\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.media.size(), 2u);
  EXPECT_EQ(p.config.media[0].type, MediumType::kUcast6);
  EXPECT_EQ(p.config.media[0].address, "fe80::5054:ff:fe29:3949");
  EXPECT_TRUE(OnlyError(ParseText("ucast6 eth1 fe80::1%eth2\n"), 1,
                        "names interface 'eth2' but the line's device is 'eth1'"));
  EXPECT_TRUE(OnlyError(ParseText("ucast6 eth1 192.0.2.1\n"), 1,
                        "'192.0.2.1' is not an IPv6 address; use ucast for IPv4 peers"));
  EXPECT_TRUE(OnlyError(ParseText("ucast6 eth1 host.example\n"), 1, "is not an IPv6 address"));
}

TEST(HaCfPing, PingNodesOnePerToken) {
  auto p = ParseText("ping 192.0.2.254 gw.example.com,198.51.100.1\nping6 2001:db8::1\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.ping_targets.size(), 4u);
  EXPECT_EQ(p.config.ping_targets[0].name, "192.0.2.254");
  EXPECT_EQ(p.config.ping_targets[0].addresses, std::vector<std::string>{"192.0.2.254"});
  EXPECT_FALSE(p.config.ping_targets[0].is_group);
  EXPECT_EQ(p.config.ping_targets[1].name, "gw.example.com");
  EXPECT_EQ(p.config.ping_targets[3].name, "2001:db8::1");
  EXPECT_EQ(p.config.ping_targets[3].where.line, 2);
}

TEST(HaCfPing, PingErrors) {
  EXPECT_TRUE(OnlyError(ParseText("ping 2001:db8::1\n"), 1, "use ping6 for IPv6 hosts"));
  EXPECT_TRUE(OnlyError(ParseText("ping6 10.0.0.999\n"), 1,
                        "'10.0.0.999' is neither an IPv6 address nor a host name"));
  EXPECT_TRUE(OnlyError(ParseText("ping\n"), 1, "ping needs at least one value"));
  auto dup = ParseText("ping 192.0.2.1\nping 192.0.2.1\n");
  EXPECT_TRUE(OnlyWarning(dup, 2, "ping node '192.0.2.1' is already defined on line 1"));
  EXPECT_EQ(dup.config.ping_targets.size(), 1u);
}

TEST(HaCfPing, PingGroup) {
  auto p = ParseText("ping_group routers 192.0.2.254 192.0.2.253\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.ping_targets.size(), 1u);
  const PingTarget& g = p.config.ping_targets[0];
  EXPECT_EQ(g.name, "routers");
  EXPECT_TRUE(g.is_group);
  EXPECT_EQ(g.addresses, (std::vector<std::string>{"192.0.2.254", "192.0.2.253"}));
  EXPECT_TRUE(OnlyError(ParseText("ping_group routers\n"), 1,
                        "ping_group needs a name and at least one host"));
  EXPECT_TRUE(OnlyError(ParseText("ping_group g 192.0.2.1 999.1.1.1\n"), 1,
                        "'999.1.1.1' is neither an IPv4 address nor a host name"));
  EXPECT_TRUE(OnlyWarning(ParseText("ping_group g 192.0.2.1 192.0.2.1\n"), 1, "listed twice"));
}

TEST(HaCfPing, NodeTableLimitCountsPingNodes) {
  std::string text = "node a b\n";
  for (int i = 0; i < 98; ++i)
    text += "ping 192.0.2." + std::to_string(i + 1) + "\n";
  text += "ping 198.51.100.1\n";
  auto p = ParseText(text);
  ASSERT_TRUE(OnlyError(p, 100, "too many nodes"));
  EXPECT_EQ(p.config.ping_targets.size(), 98u);
}

}  // namespace
}  // namespace hbd::config
