#include "resources/ipaddr_spec.h"

#include <gtest/gtest.h>

namespace hbd::resources {
namespace {

IpaddrSpec Parse(std::string_view text) {
  IpaddrSpecResult r = ParseIpaddrSpec(text);
  EXPECT_TRUE(r.spec.has_value()) << text << ": " << r.error;
  return r.spec.value_or(IpaddrSpec{});
}

std::string ErrorOf(std::string_view text) {
  IpaddrSpecResult r = ParseIpaddrSpec(text);
  EXPECT_FALSE(r.spec.has_value()) << text;
  return r.error;
}

TEST(IpaddrSpecTest, Ipv4AsTheScriptReadsIt) {
  EXPECT_EQ(ParseIpv4("192.0.2.10"), 0xC000020Au);
  EXPECT_EQ(ParseIpv4("0.0.0.0"), 0u);
  EXPECT_EQ(ParseIpv4("255.255.255.255"), 0xFFFFFFFFu);
  for (const char* bad :
       {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.", ".1.2.3",
        "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "1.2.3.1000", "1.2.3.-1", "1.2.3.4\n"}) {
    EXPECT_FALSE(ParseIpv4(bad).has_value()) << bad;
  }
  EXPECT_EQ(FormatIpv4(0xC6336401u), "198.51.100.1");
}

TEST(IpaddrSpecTest, AllFields) {
  IpaddrSpec s = Parse("192.0.2.50/24/eth0:vip/192.0.2.255");
  EXPECT_EQ(s.address, 0xC0000232u);
  EXPECT_EQ(s.address_text, "192.0.2.50");
  EXPECT_EQ(s.prefix, 24);
  EXPECT_EQ(s.interface, "eth0");
  EXPECT_EQ(s.label, "vip");
  EXPECT_EQ(s.broadcast, 0xC00002FFu);
}

TEST(IpaddrSpecTest, OptionalFieldsMayBeEmptyOrMissing) {
  IpaddrSpec bare = Parse("192.0.2.50");
  EXPECT_EQ(bare.prefix, 0);
  EXPECT_EQ(bare.interface, "");
  EXPECT_EQ(bare.label, "");
  EXPECT_FALSE(bare.broadcast.has_value());
  IpaddrSpec gap = Parse("192.0.2.50//eth1");
  EXPECT_EQ(gap.prefix, 0);
  EXPECT_EQ(gap.interface, "eth1");
  EXPECT_EQ(Parse("192.0.2.50/").prefix, 0);
  EXPECT_EQ(Parse("192.0.2.50/32").prefix, 32);
  EXPECT_EQ(Parse("192.0.2.50/1").prefix, 1);
  // bash's read keeps trailing slashes out of the last field.
  EXPECT_EQ(Parse("192.0.2.50/24/eth0/192.0.2.255/").broadcast, 0xC00002FFu);
  EXPECT_EQ(Parse("192.0.2.50/24/eth0/192.0.2.255//").prefix, 24);
  EXPECT_EQ(Parse("192.0.2.50/24/br-lan.10@x").interface, "br-lan.10@x");
}

TEST(IpaddrSpecTest, RejectsWhatTheScriptRejects) {
  EXPECT_EQ(ErrorOf("192.0.2.50/24/eth0/192.0.2.255/x"),
            "too many '/' fields in '192.0.2.50/24/eth0/192.0.2.255/x'");
  EXPECT_EQ(ErrorOf("192.0.2.50/24/eth0/192.0.2.255/x/"),
            "too many '/' fields in '192.0.2.50/24/eth0/192.0.2.255/x/'");
  EXPECT_EQ(ErrorOf("192.0.2.500"), "'192.0.2.500' is not an IPv4 address");
  EXPECT_EQ(ErrorOf(""), "'' is not an IPv4 address");
  EXPECT_EQ(ErrorOf("/24"), "'' is not an IPv4 address");
  EXPECT_EQ(ErrorOf("192.0.2.50/33"), "'33' is not a prefix length (1..32)");
  EXPECT_EQ(ErrorOf("192.0.2.50/0"), "'0' is not a prefix length (1..32)");
  EXPECT_EQ(ErrorOf("192.0.2.50/024"), "'024' is not a prefix length (1..32)");
  EXPECT_EQ(ErrorOf("192.0.2.50/08"), "'08' is not a prefix length (1..32)");
  EXPECT_EQ(ErrorOf("192.0.2.50/2x"), "'2x' is not a prefix length (1..32)");
  EXPECT_EQ(ErrorOf("192.0.2.50/24/eth0:"), "'' is not a valid label");
  EXPECT_EQ(ErrorOf("192.0.2.50/24/eth0:a:b"), "'a:b' is not a valid label");
  EXPECT_EQ(ErrorOf("192.0.2.50/24/eth0:abcdefghijklmno"),
            "'abcdefghijklmno' is not a valid label");
  EXPECT_EQ(ErrorOf("192.0.2.50/24/:vip"), "'' is not a valid interface name");
  EXPECT_EQ(ErrorOf("192.0.2.50/24/-eth0"), "'-eth0' is not a valid interface name");
  EXPECT_EQ(ErrorOf("192.0.2.50/24/eth 0"), "'eth 0' is not a valid interface name");
  EXPECT_EQ(ErrorOf("192.0.2.50/24/abcdefghijklmnop"),
            "'abcdefghijklmnop' is not a valid interface name");
  EXPECT_EQ(ErrorOf("192.0.2.50/24/eth0;reboot"), "'eth0;reboot' is not a valid interface name");
  EXPECT_EQ(ErrorOf("192.0.2.50/24/eth0/192.0.2"), "'192.0.2' is not an IPv4 broadcast address");
  // The longest names the script accepts.
  EXPECT_EQ(Parse("192.0.2.50/24/abcdefghijklmno:abcdefghijklmn").label, "abcdefghijklmn");
}

std::vector<HostAddress> Host() {
  return {{"lo", 0x7F000001u, 8},
          {"eth0", 0xC0000201u, 24},   // 192.0.2.1/24
          {"eth1", 0xC6336401u, 24},   // 198.51.100.1/24
          {"eth2", 0xC0000281u, 25}};  // 192.0.2.129/25
}

TEST(IpaddrSpecTest, ChoosesTheFirstInterfaceInTheSubnet) {
  auto c = ChooseInterface(Parse("192.0.2.50"), Host());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->interface, "eth0");
  EXPECT_EQ(c->prefix, 24);
  auto d = ChooseInterface(Parse("198.51.100.77"), Host());
  ASSERT_TRUE(d);
  EXPECT_EQ(d->interface, "eth1");
  // 192.0.2.200 is in eth0's /24 (listed first) and in eth2's /25.
  EXPECT_EQ(ChooseInterface(Parse("192.0.2.200"), Host())->interface, "eth0");
}

TEST(IpaddrSpecTest, GivenPrefixDecidesTheSubnetAndIsKept) {
  auto c = ChooseInterface(Parse("192.0.2.200/25"), Host());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->interface, "eth2");  // eth0's 192.0.2.1 is not in 192.0.2.128/25
  EXPECT_EQ(c->prefix, 25);
  auto wide = ChooseInterface(Parse("192.0.3.9/16"), Host());
  ASSERT_TRUE(wide);
  EXPECT_EQ(wide->interface, "eth0");
  EXPECT_EQ(wide->prefix, 16);
}

TEST(IpaddrSpecTest, GivenInterfaceMustHoldTheSubnet) {
  auto c = ChooseInterface(Parse("192.0.2.200/24/eth2"), Host());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->interface, "eth2");
  EXPECT_EQ(c->prefix, 24);
  EXPECT_FALSE(ChooseInterface(Parse("192.0.2.50/24/eth1"), Host()));
  EXPECT_FALSE(ChooseInterface(Parse("192.0.2.50/24/eth9"), Host()));
  EXPECT_FALSE(ChooseInterface(Parse("203.0.113.5"), Host()));
  EXPECT_EQ(NoInterfaceMessage(Parse("203.0.113.5")),
            "no interface holds an address in the subnet of 203.0.113.5; give IFACE and CIDR");
  EXPECT_EQ(NoInterfaceMessage(Parse("192.0.2.50/24/eth1:x")),
            "no interface eth1 holds an address in the subnet of 192.0.2.50/24; give IFACE "
            "and CIDR");
}

TEST(IpaddrSpecTest, TheVipItselfNeverChoosesTheInterface) {
  std::vector<HostAddress> host = {{"eth3", 0xCB007105u, 24}, {"eth0", 0xCB007101u, 24}};
  auto c = ChooseInterface(Parse("203.0.113.5"), host);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->interface, "eth0");
  auto where = FindConfigured(host, 0xCB007105u);
  ASSERT_TRUE(where);
  EXPECT_EQ(where->interface, "eth3");
  EXPECT_FALSE(FindConfigured(host, 0xCB007106u));
}

TEST(IpaddrSpecTest, BroadcastAsIpAddAddBroadcastPlus) {
  EXPECT_EQ(DefaultBroadcast(0xC0000232u, 24), 0xC00002FFu);
  EXPECT_EQ(DefaultBroadcast(0xC0000232u, 30), 0xC0000233u);
  EXPECT_EQ(DefaultBroadcast(0xC0000232u, 1), 0xFFFFFFFFu);
  EXPECT_EQ(DefaultBroadcast(0x40000000u, 8), 0x40FFFFFFu);
  EXPECT_FALSE(DefaultBroadcast(0xC0000232u, 31));
  EXPECT_FALSE(DefaultBroadcast(0xC0000232u, 32));
  EXPECT_TRUE(SameSubnet(0xC0000201u, 0xC00002FEu, 24));
  EXPECT_FALSE(SameSubnet(0xC0000201u, 0xC00003FEu, 24));
  EXPECT_TRUE(SameSubnet(0x01000000u, 0xFE000000u, 0));
}

}  // namespace
}  // namespace hbd::resources
