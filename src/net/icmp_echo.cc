#include "net/icmp_echo.h"

namespace hbd::net {

uint16_t InternetChecksum(std::span<const uint8_t> bytes) {
  uint32_t sum = 0;
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2)
    sum += static_cast<uint32_t>(bytes[i] << 8 | bytes[i + 1]);
  if (i < bytes.size())
    sum += static_cast<uint32_t>(bytes[i] << 8);
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xffff);
}

std::vector<uint8_t> BuildEchoRequest(AddressFamily family, uint16_t id, uint16_t sequence,
                                      std::string_view payload) {
  std::vector<uint8_t> packet(8 + payload.size());
  packet[0] = family == AddressFamily::kIPv4 ? kIcmpEchoRequest : kIcmp6EchoRequest;
  packet[1] = 0;
  packet[4] = static_cast<uint8_t>(id >> 8);
  packet[5] = static_cast<uint8_t>(id & 0xff);
  packet[6] = static_cast<uint8_t>(sequence >> 8);
  packet[7] = static_cast<uint8_t>(sequence & 0xff);
  for (size_t i = 0; i < payload.size(); ++i)
    packet[8 + i] = static_cast<uint8_t>(payload[i]);
  if (family == AddressFamily::kIPv4) {
    uint16_t sum = InternetChecksum(packet);
    packet[2] = static_cast<uint8_t>(sum >> 8);
    packet[3] = static_cast<uint8_t>(sum & 0xff);
  }
  return packet;
}

std::optional<EchoReply> ParseEchoReply(std::span<const uint8_t> bytes, AddressFamily family,
                                        bool with_ip_header) {
  if (with_ip_header) {
    if (family != AddressFamily::kIPv4 || bytes.size() < 20 || (bytes[0] >> 4) != 4)
      return std::nullopt;
    size_t header = static_cast<size_t>(bytes[0] & 0x0f) * 4;
    if (header < 20 || header > bytes.size() || bytes[9] != 1 /* ICMP */)
      return std::nullopt;
    bytes = bytes.subspan(header);
  }
  if (bytes.size() < 8)
    return std::nullopt;
  uint8_t expected = family == AddressFamily::kIPv4 ? kIcmpEchoReply : kIcmp6EchoReply;
  if (bytes[0] != expected || bytes[1] != 0)
    return std::nullopt;
  // The checksum of a message that carries its own checksum is 0. ICMPv6 checksums cover a
  // pseudo header only the kernel sees; it checks them.
  if (family == AddressFamily::kIPv4 && InternetChecksum(bytes) != 0)
    return std::nullopt;
  EchoReply reply;
  reply.id = static_cast<uint16_t>(bytes[4] << 8 | bytes[5]);
  reply.sequence = static_cast<uint16_t>(bytes[6] << 8 | bytes[7]);
  return reply;
}

bool IsRecentSequence(uint16_t sequence, uint16_t last_sent, uint16_t window) {
  uint16_t age = static_cast<uint16_t>(last_sent - sequence);
  return age < window;
}

}  // namespace hbd::net
