// The gratuitous ARP that announces a moved service address, as bytes: what `arping -U -I IFACE
// VIP` sends (an ARP request whose sender and target protocol addresses are both the VIP, the
// sender hardware address the interface's MAC, the target hardware address broadcast), to go
// out on an AF_PACKET SOCK_DGRAM socket with the Ethernet broadcast address as destination (the
// kernel adds the Ethernet header). Pure. Thread-safe (no state).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "resources/ipaddr_spec.h"

namespace hbd::resources {

using MacAddress = std::array<uint8_t, 6>;

inline constexpr MacAddress kBroadcastMac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
inline constexpr size_t kArpPacketSize = 28;  // Ethernet/IPv4 ARP, no link header

// The ARP packet (28 bytes, network byte order).
std::vector<uint8_t> BuildGratuitousArp(const MacAddress& sender_mac, Ipv4 address);

// A link's hardware address as an Ethernet MAC, when it is one (6 bytes).
std::optional<MacAddress> EthernetAddress(const std::vector<uint8_t>& hardware_address);

}  // namespace hbd::resources
