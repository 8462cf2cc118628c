// ICMP and ICMPv6 echo packets as the ping-node pinger writes and reads them: building a request
// (id, sequence, a short payload; the IPv4 checksum), parsing what a socket hands up into an echo
// reply, and judging whether a reply's sequence number belongs to a recent round. Pure;
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "net/media_plan.h"

namespace hbd::net {

inline constexpr uint8_t kIcmpEchoRequest = 8;
inline constexpr uint8_t kIcmpEchoReply = 0;
inline constexpr uint8_t kIcmp6EchoRequest = 128;
inline constexpr uint8_t kIcmp6EchoReply = 129;

// The Internet checksum (RFC 1071) of `bytes`.
uint16_t InternetChecksum(std::span<const uint8_t> bytes);

// An echo request: type, code 0, checksum, id, sequence (network order), then `payload`. For
// IPv6 the checksum stays 0: it covers a pseudo header the kernel fills in and computes.
std::vector<uint8_t> BuildEchoRequest(AddressFamily family, uint16_t id, uint16_t sequence,
                                      std::string_view payload);

struct EchoReply {
  uint16_t id = 0;
  uint16_t sequence = 0;
  bool operator==(const EchoReply&) const = default;
};

// Parses what one recv() returned. `with_ip_header`: raw IPv4 sockets hand up the IPv4 header
// first; ICMPv6 sockets and ping (SOCK_DGRAM) sockets hand up the ICMP message alone. Returns
// nullopt for anything that is not a well-formed echo reply (short, other type, IPv4 checksum
// wrong, IP header inconsistent).
std::optional<EchoReply> ParseEchoReply(std::span<const uint8_t> bytes, AddressFamily family,
                                        bool with_ip_header);

// True when `sequence` is one of the last `window` sequence numbers sent, `last_sent` included
// (wrapping at 65536). A reply to an older request is stale and does not count.
bool IsRecentSequence(uint16_t sequence, uint16_t last_sent, uint16_t window);

}  // namespace hbd::net
