#include "resources/gratuitous_arp.h"

#include <algorithm>

namespace hbd::resources {
namespace {

void Put16(std::vector<uint8_t>& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value >> 8));
  out.push_back(static_cast<uint8_t>(value & 0xFF));
}

void PutIpv4(std::vector<uint8_t>& out, Ipv4 address) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<uint8_t>((address >> shift) & 0xFF));
}

}  // namespace

std::vector<uint8_t> BuildGratuitousArp(const MacAddress& sender_mac, Ipv4 address) {
  std::vector<uint8_t> out;
  out.reserve(kArpPacketSize);
  Put16(out, 1);       // hardware type: Ethernet
  Put16(out, 0x0800);  // protocol type: IPv4
  out.push_back(6);    // hardware address length
  out.push_back(4);    // protocol address length
  Put16(out, 1);       // operation: request (arping -U; -A would send a reply)
  out.insert(out.end(), sender_mac.begin(), sender_mac.end());
  PutIpv4(out, address);
  out.insert(out.end(), kBroadcastMac.begin(), kBroadcastMac.end());
  PutIpv4(out, address);
  return out;
}

std::optional<MacAddress> EthernetAddress(const std::vector<uint8_t>& hardware_address) {
  if (hardware_address.size() != 6)
    return std::nullopt;
  MacAddress mac{};
  std::copy(hardware_address.begin(), hardware_address.end(), mac.begin());
  return mac;
}

}  // namespace hbd::resources
