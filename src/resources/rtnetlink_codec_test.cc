#include "resources/rtnetlink_codec.h"

#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace hbd::resources {
namespace {

// Little helpers that write netlink the way the kernel does, to feed the readers.
void Put32(Bytes& b, uint32_t v) {
  uint8_t raw[4];
  std::memcpy(raw, &v, 4);
  b.insert(b.end(), raw, raw + 4);
}
void Put16(Bytes& b, uint16_t v) {
  uint8_t raw[2];
  std::memcpy(raw, &v, 2);
  b.insert(b.end(), raw, raw + 2);
}
void Attr(Bytes& b, uint16_t type, const Bytes& value) {
  Put16(b, static_cast<uint16_t>(4 + value.size()));
  Put16(b, type);
  b.insert(b.end(), value.begin(), value.end());
  b.resize((b.size() + 3) & ~size_t{3}, 0);
}
Bytes Ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return {a, b, c, d};
}
Bytes Message(uint16_t type, uint16_t flags, uint32_t seq, const Bytes& payload) {
  Bytes b;
  Put32(b, static_cast<uint32_t>(16 + payload.size()));
  Put16(b, type);
  Put16(b, flags);
  Put32(b, seq);
  Put32(b, 0);
  b.insert(b.end(), payload.begin(), payload.end());
  b.resize((b.size() + 3) & ~size_t{3}, 0);
  return b;
}
Bytes ErrorMessage(uint32_t seq, int error) {
  Bytes p;
  Put32(p, static_cast<uint32_t>(-error));
  Bytes echoed(16, 0);  // the request's header, as the kernel echoes it
  p.insert(p.end(), echoed.begin(), echoed.end());
  return Message(NLMSG_ERROR, 0, seq, p);
}
Bytes Done(uint32_t seq, uint16_t flags = NLM_F_MULTI) {
  Bytes p;
  Put32(p, 0);
  return Message(NLMSG_DONE, flags, seq, p);
}
Bytes AddressEntryMessage(uint32_t seq, uint32_t ifindex, uint8_t prefix, const Bytes& local,
                          const std::string& label, uint16_t flags = NLM_F_MULTI) {
  Bytes p = {AF_INET, prefix, 0, 0};
  Put32(p, ifindex);
  Attr(p, IFA_ADDRESS, local);
  Attr(p, IFA_LOCAL, local);
  Bytes l(label.begin(), label.end());
  l.push_back(0);
  Attr(p, IFA_LABEL, l);
  return Message(RTM_NEWADDR, flags, seq, p);
}
Bytes LinkMessage(uint32_t seq, int32_t ifindex, uint32_t flags, const std::string& name,
                  const Bytes& mac) {
  Bytes p = {AF_UNSPEC, 0};
  Put16(p, 1);  // ARPHRD_ETHER
  Put32(p, static_cast<uint32_t>(ifindex));
  Put32(p, flags);
  Put32(p, 0);
  Bytes n(name.begin(), name.end());
  n.push_back(0);
  Attr(p, IFLA_IFNAME, n);
  Attr(p, IFLA_ADDRESS, mac);
  return Message(RTM_NEWLINK, NLM_F_MULTI, seq, p);
}
Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(RtnetlinkCodecTest, AddAddressIsWhatIpAddrAddSends) {
  AddressChange c;
  c.ifindex = 7;
  c.address = 0xC0000232u;  // 192.0.2.50
  c.prefix = 24;
  c.broadcast = 0xC00002FFu;
  c.label = "eth0:vip";
  Bytes got = BuildAddAddress(c, 42);

  Bytes ifa = {AF_INET, 24, 0, RT_SCOPE_UNIVERSE};
  Put32(ifa, 7);
  Attr(ifa, IFA_LOCAL, Ip(192, 0, 2, 50));
  Attr(ifa, IFA_ADDRESS, Ip(192, 0, 2, 50));
  Attr(ifa, IFA_BROADCAST, Ip(192, 0, 2, 255));
  Attr(ifa, IFA_LABEL, Bytes{'e', 't', 'h', '0', ':', 'v', 'i', 'p', 0});
  Bytes want = Message(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 42, ifa);
  EXPECT_EQ(got, want);
  EXPECT_EQ(got.size(), 16u + 8u + 8u + 8u + 8u + 16u);
}

TEST(RtnetlinkCodecTest, AddWithoutBroadcastOrLabelAndLoopbackScope) {
  AddressChange c;
  c.ifindex = 2;
  c.address = 0xC0000232u;
  c.prefix = 32;
  Bytes got = BuildAddAddress(c, 1);
  EXPECT_EQ(got.size(), 16u + 8u + 8u + 8u);
  EXPECT_EQ(got[16 + 3], RT_SCOPE_UNIVERSE);
  c.address = 0x7F000002u;
  EXPECT_EQ(BuildAddAddress(c, 1)[16 + 3], RT_SCOPE_HOST);
}

TEST(RtnetlinkCodecTest, DeleteCarriesAddressAndPrefixOnly) {
  AddressChange c;
  c.ifindex = 3;
  c.address = 0xC0000232u;
  c.prefix = 25;
  c.broadcast = 0xC00002FFu;  // ignored for a delete
  c.label = "eth0:vip";       // ignored for a delete
  Bytes ifa = {AF_INET, 25, 0, RT_SCOPE_UNIVERSE};
  Put32(ifa, 3);
  Attr(ifa, IFA_LOCAL, Ip(192, 0, 2, 50));
  Attr(ifa, IFA_ADDRESS, Ip(192, 0, 2, 50));
  EXPECT_EQ(BuildDeleteAddress(c, 9), Message(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, 9, ifa));
}

TEST(RtnetlinkCodecTest, DumpRequests) {
  Bytes addr = {AF_INET, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(BuildAddressDump(5), Message(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 5, addr));
  Bytes link(16, 0);
  EXPECT_EQ(BuildLinkDump(6), Message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 6, link));
}

TEST(RtnetlinkCodecTest, AckAndKernelError) {
  ReplyState ok;
  ReadAck(ErrorMessage(4, 0), 4, ok);
  EXPECT_TRUE(ok.done);
  EXPECT_EQ(ok.error, 0);
  EXPECT_EQ(ok.malformed, "");

  ReplyState refused;
  ReadAck(ErrorMessage(4, -EEXIST), 4, refused);
  EXPECT_TRUE(refused.done);
  EXPECT_EQ(refused.error, EEXIST);
  EXPECT_EQ(ErrorText(EEXIST), "File exists");
}

TEST(RtnetlinkCodecTest, AnswersToOtherRequestsAreSkipped) {
  ReplyState state;
  ReadAck(Cat({ErrorMessage(3, -EPERM), ErrorMessage(4, 0)}), 4, state);
  EXPECT_TRUE(state.done);
  EXPECT_EQ(state.error, 0);
  ReplyState none;
  ReadAck(ErrorMessage(3, -EPERM), 4, none);
  EXPECT_FALSE(none.done);
}

TEST(RtnetlinkCodecTest, MalformedRepliesAreErrorsNotReads) {
  Bytes good = ErrorMessage(4, 0);
  ReplyState short_header;
  ReadAck(Bytes(good.begin(), good.begin() + 10), 4, short_header);
  EXPECT_NE(short_header.malformed, "");
  EXPECT_FALSE(short_header.done);

  Bytes too_long = good;
  too_long[0] = 200;  // nlmsg_len beyond the datagram
  ReplyState overrun;
  ReadAck(too_long, 4, overrun);
  EXPECT_NE(overrun.malformed, "");

  Bytes tiny = Message(NLMSG_ERROR, 0, 4, {});  // no room for the error code
  ReplyState truncated;
  ReadAck(tiny, 4, truncated);
  EXPECT_NE(truncated.malformed, "");
  EXPECT_FALSE(truncated.done);

  for (size_t cut = 0; cut < good.size(); ++cut) {  // every prefix: no crash, never "success"
    ReplyState s;
    ReadAck(Bytes(good.begin(), good.begin() + cut), 4, s);
    EXPECT_FALSE(s.done && s.error == 0 && s.malformed.empty() && cut < 20) << cut;
  }
}

TEST(RtnetlinkCodecTest, AddressDumpAcrossDatagrams) {
  std::vector<AddressEntry> got;
  ReplyState state;
  ReadAddressDump(Cat({AddressEntryMessage(8, 2, 24, Ip(192, 0, 2, 1), "eth0"),
                       AddressEntryMessage(8, 2, 24, Ip(192, 0, 2, 50), "eth0:vip")}),
                  8, state, got);
  EXPECT_FALSE(state.done);
  ReadAddressDump(Cat({AddressEntryMessage(8, 3, 25, Ip(198, 51, 100, 1), "eth1"), Done(8)}), 8,
                  state, got);
  EXPECT_TRUE(state.done);
  EXPECT_EQ(state.error, 0);
  EXPECT_FALSE(state.interrupted);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].ifindex, 2u);
  EXPECT_EQ(got[0].address, 0xC0000201u);
  EXPECT_EQ(got[0].prefix, 24);
  EXPECT_EQ(got[1].label, "eth0:vip");
  EXPECT_EQ(got[2].ifindex, 3u);
  EXPECT_EQ(got[2].address, 0xC6336401u);
  EXPECT_EQ(got[2].prefix, 25);
}

TEST(RtnetlinkCodecTest, InterruptedDumpIsFlagged) {
  std::vector<AddressEntry> got;
  ReplyState state;
  ReadAddressDump(
      Cat({AddressEntryMessage(8, 2, 24, Ip(192, 0, 2, 1), "eth0", NLM_F_MULTI | NLM_F_DUMP_INTR),
           Done(8, NLM_F_MULTI | NLM_F_DUMP_INTR)}),
      8, state, got);
  EXPECT_TRUE(state.done);
  EXPECT_TRUE(state.interrupted);
}

TEST(RtnetlinkCodecTest, BadAttributeInDumpIsMalformed) {
  Bytes p = {AF_INET, 24, 0, 0};
  Put32(p, 2);
  Put16(p, 40);  // attribute length past the message
  Put16(p, IFA_LOCAL);
  Put32(p, 0);
  std::vector<AddressEntry> got;
  ReplyState state;
  ReadAddressDump(Message(RTM_NEWADDR, NLM_F_MULTI, 8, p), 8, state, got);
  EXPECT_NE(state.malformed, "");
  EXPECT_TRUE(got.empty());
}

TEST(RtnetlinkCodecTest, LinkDump) {
  std::vector<LinkEntry> got;
  ReplyState state;
  ReadLinkDump(Cat({LinkMessage(5, 1, IFF_UP | IFF_LOOPBACK, "lo", Bytes(6, 0)),
                    LinkMessage(5, 7, IFF_BROADCAST, "eth0", {2, 0, 0, 0, 0, 7}), Done(5)}),
               5, state, got);
  EXPECT_TRUE(state.done);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].name, "lo");
  EXPECT_TRUE(got[0].up);
  EXPECT_EQ(got[1].ifindex, 7u);
  EXPECT_EQ(got[1].name, "eth0");
  EXPECT_FALSE(got[1].up);
  EXPECT_EQ(got[1].hardware_address, (std::vector<uint8_t>{2, 0, 0, 0, 0, 7}));
}

TEST(RtnetlinkCodecTest, DumpErrorIsReported) {
  std::vector<LinkEntry> got;
  ReplyState state;
  ReadLinkDump(ErrorMessage(5, -EPERM), 5, state, got);
  EXPECT_TRUE(state.done);
  EXPECT_EQ(state.error, EPERM);
}

}  // namespace
}  // namespace hbd::resources
