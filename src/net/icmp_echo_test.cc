#include "net/icmp_echo.h"

#include <gtest/gtest.h>

namespace hbd::net {
namespace {

std::vector<uint8_t> AsReply(std::vector<uint8_t> request, uint8_t reply_type) {
  request[0] = reply_type;
  request[2] = request[3] = 0;
  uint16_t sum = InternetChecksum(request);
  request[2] = static_cast<uint8_t>(sum >> 8);
  request[3] = static_cast<uint8_t>(sum & 0xff);
  return request;
}

std::vector<uint8_t> WithIpHeader(const std::vector<uint8_t>& icmp) {
  std::vector<uint8_t> packet(20 + icmp.size(), 0);
  packet[0] = 0x45;  // version 4, 5 words
  packet[9] = 1;     // ICMP
  // Index copy: g++ 12 -O2 warns (falsely) about insert() here.
  for (size_t i = 0; i < icmp.size(); ++i)
    packet[20 + i] = icmp[i];
  return packet;
}

TEST(IcmpEchoTest, ChecksumMatchesRfc1071Example) {
  // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement.
  std::vector<uint8_t> bytes = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(InternetChecksum(bytes), 0x220d);
  std::vector<uint8_t> odd = {0x01};
  EXPECT_EQ(InternetChecksum(odd), static_cast<uint16_t>(~0x0100));
}

TEST(IcmpEchoTest, BuildsAnIpv4EchoRequestWithAValidChecksum) {
  std::vector<uint8_t> p = BuildEchoRequest(AddressFamily::kIPv4, 0x1234, 0xbeef, "hbd");
  ASSERT_EQ(p.size(), 11u);
  EXPECT_EQ(p[0], 8);
  EXPECT_EQ(p[1], 0);
  EXPECT_EQ(p[4], 0x12);
  EXPECT_EQ(p[5], 0x34);
  EXPECT_EQ(p[6], 0xbe);
  EXPECT_EQ(p[7], 0xef);
  EXPECT_EQ(std::string(p.begin() + 8, p.end()), "hbd");
  EXPECT_EQ(InternetChecksum(p), 0);  // a correct checksum sums to zero
}

TEST(IcmpEchoTest, BuildsAnIpv6EchoRequestLeavingTheChecksumToTheKernel) {
  std::vector<uint8_t> p = BuildEchoRequest(AddressFamily::kIPv6, 7, 9, "");
  ASSERT_EQ(p.size(), 8u);
  EXPECT_EQ(p[0], 128);
  EXPECT_EQ(p[2], 0);
  EXPECT_EQ(p[3], 0);
  EXPECT_EQ(p[5], 7);
  EXPECT_EQ(p[7], 9);
}

TEST(IcmpEchoTest, ParsesRepliesFromRawAndPingSockets) {
  std::vector<uint8_t> reply =
      AsReply(BuildEchoRequest(AddressFamily::kIPv4, 0x4242, 17, "hbd ping"), 0);
  EXPECT_EQ(ParseEchoReply(reply, AddressFamily::kIPv4, false), (EchoReply{0x4242, 17}));
  EXPECT_EQ(ParseEchoReply(WithIpHeader(reply), AddressFamily::kIPv4, true),
            (EchoReply{0x4242, 17}));
  std::vector<uint8_t> reply6 = BuildEchoRequest(AddressFamily::kIPv6, 5, 6, "x");
  reply6[0] = 129;
  EXPECT_EQ(ParseEchoReply(reply6, AddressFamily::kIPv6, false), (EchoReply{5, 6}));
}

TEST(IcmpEchoTest, RefusesWhatIsNotAWellFormedEchoReply) {
  std::vector<uint8_t> request = BuildEchoRequest(AddressFamily::kIPv4, 1, 2, "hbd");
  EXPECT_FALSE(ParseEchoReply(request, AddressFamily::kIPv4, false));  // a request, not a reply
  std::vector<uint8_t> reply = AsReply(request, 0);
  std::vector<uint8_t> damaged = reply;
  damaged[9] ^= 0x01;
  EXPECT_FALSE(ParseEchoReply(damaged, AddressFamily::kIPv4, false));  // checksum wrong
  std::vector<uint8_t> unreachable = AsReply(request, 3);
  EXPECT_FALSE(ParseEchoReply(unreachable, AddressFamily::kIPv4, false));
  EXPECT_FALSE(ParseEchoReply(std::vector<uint8_t>(reply.begin(), reply.begin() + 7),
                              AddressFamily::kIPv4, false));
  EXPECT_FALSE(ParseEchoReply({}, AddressFamily::kIPv4, true));
  // An IPv4 header that claims more bytes than there are, or another protocol.
  std::vector<uint8_t> framed = WithIpHeader(reply);
  std::vector<uint8_t> long_header = framed;
  long_header[0] = 0x4f;  // 60-byte header
  EXPECT_FALSE(
      ParseEchoReply(std::span<const uint8_t>(long_header).first(30), AddressFamily::kIPv4, true));
  std::vector<uint8_t> udp = framed;
  udp[9] = 17;
  EXPECT_FALSE(ParseEchoReply(udp, AddressFamily::kIPv4, true));
  std::vector<uint8_t> short_ihl = framed;
  short_ihl[0] = 0x44;
  EXPECT_FALSE(ParseEchoReply(short_ihl, AddressFamily::kIPv4, true));
  // An ICMPv4 reply type read as ICMPv6.
  EXPECT_FALSE(ParseEchoReply(reply, AddressFamily::kIPv6, false));
}

TEST(IcmpEchoTest, ParsingArbitraryBytesNeverCrashes) {
  std::vector<uint8_t> bytes;
  uint32_t state = 12345;
  for (int round = 0; round < 2000; ++round) {
    state = state * 1103515245 + 12345;
    bytes.resize(state % 90);
    for (uint8_t& b : bytes) {
      state = state * 1103515245 + 12345;
      b = static_cast<uint8_t>(state >> 16);
    }
    if (!bytes.empty())
      bytes[0] = static_cast<uint8_t>(round % 2 ? 0x45 : bytes[0]);
    ParseEchoReply(bytes, AddressFamily::kIPv4, true);
    ParseEchoReply(bytes, AddressFamily::kIPv4, false);
    ParseEchoReply(bytes, AddressFamily::kIPv6, false);
  }
}

TEST(IcmpEchoTest, RecentSequencesWrapAround) {
  EXPECT_TRUE(IsRecentSequence(10, 10, 4));
  EXPECT_TRUE(IsRecentSequence(7, 10, 4));
  EXPECT_FALSE(IsRecentSequence(6, 10, 4));
  EXPECT_FALSE(IsRecentSequence(11, 10, 4));  // never sent yet
  EXPECT_TRUE(IsRecentSequence(65535, 1, 4));
  EXPECT_TRUE(IsRecentSequence(0, 1, 4));
  EXPECT_FALSE(IsRecentSequence(65533, 1, 4));
}

}  // namespace
}  // namespace hbd::net
