#include "resources/gratuitous_arp.h"

#include <gtest/gtest.h>

namespace hbd::resources {
namespace {

TEST(GratuitousArpTest, RequestWithVipAsSenderAndTarget) {
  MacAddress mac = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
  std::vector<uint8_t> got = BuildGratuitousArp(mac, 0xC0000232u);  // 192.0.2.50
  std::vector<uint8_t> want = {
      0x00, 0x01,                          // Ethernet
      0x08, 0x00,                          // IPv4
      6,    4,                             // address lengths
      0x00, 0x01,                          // request, as arping -U
      0x02, 0x11, 0x22, 0x33, 0x44, 0x55,  // sender MAC
      192,  0,    2,    50,                // sender IP: the VIP
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // target MAC: broadcast
      192,  0,    2,    50,                // target IP: the VIP
  };
  EXPECT_EQ(got, want);
  EXPECT_EQ(got.size(), kArpPacketSize);
}

TEST(GratuitousArpTest, EthernetAddressOnlyForSixBytes) {
  EXPECT_EQ(EthernetAddress({1, 2, 3, 4, 5, 6}), (MacAddress{1, 2, 3, 4, 5, 6}));
  EXPECT_FALSE(EthernetAddress({}));
  EXPECT_FALSE(EthernetAddress({1, 2, 3, 4}));
  EXPECT_FALSE(EthernetAddress(std::vector<uint8_t>(20, 1)));
}

}  // namespace
}  // namespace hbd::resources
