// How the configured heartbeat media map onto sockets, decided from the configuration alone:
// which media share one receive socket (one per address family, interface and port, so that a
// datagram is reported once per link, whatever mix of bcast, ucast and mcast lines names that
// link), how a medium is named in logs, and whether a ucast peer is this machine itself. Pure;
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/cluster_config.h"
#include "util/time.h"

namespace hbd::net {

enum class AddressFamily { kIPv4, kIPv6 };

AddressFamily FamilyOf(config::MediumType type);
bool IsMulticast(config::MediumType type);

// One receive socket: bound to the wildcard address and `port` on `interface` (SO_BINDTODEVICE),
// joined to the groups of its multicast media.
struct ReceiveSocketPlan {
  AddressFamily family = AddressFamily::kIPv4;
  std::string interface;
  uint16_t port = 0;
  std::vector<size_t> media;  // indexes into the media list, ascending; media[0] is reported
  bool operator==(const ReceiveSocketPlan&) const = default;
};

// Receive sockets in order of their first medium; every medium is in exactly one of them.
std::vector<ReceiveSocketPlan> PlanReceiveSockets(const std::vector<config::Medium>& media);

// "mcast eth0 239.255.1.1:694", "ucast eth1 198.51.100.2:694", "bcast eth0 :694".
std::string DescribeMedium(const config::Medium& medium);

// True when `peer` (an IP literal) is one of `local_addresses` (IP literals, as getifaddrs
// lists them); compares addresses, not spellings ("fe80::0:1" equals "fe80::1"). A ucast line
// naming this machine is how every node shares one ha.cf; hbd skips sending there.
bool IsOwnAddress(const std::string& peer, const std::vector<std::string>& local_addresses);

// The broadcast address to send a bcast medium's datagrams to, from what getifaddrs reports for
// the interface's IPv4 address: the configured broadcast address when there is one; when it is
// missing or just repeats the address (`ip addr add A/24` without `brd +`), the subnet's
// broadcast computed from the netmask; 255.255.255.255 for /31 and /32. "" when `address` or
// `netmask` is not an IPv4 literal.
std::string ChooseBroadcast(const std::string& address, const std::string& netmask,
                            const std::string& reported_broadcast);

// What to do with the result of one recv(…, MSG_TRUNC) into a buffer of `capacity` bytes.
enum class ReceiveOutcome { kDatagram, kTooBig, kNoMore, kInterrupted, kError };
ReceiveOutcome ClassifyReceive(long result, int error, size_t capacity);

// How long a receive socket rests after a wake-up before it is read again, given the time since
// the previous wake-up began and how many datagrams this one read. Normal traffic (wake-ups
// further apart than 2 x `coalesce`) and an empty read: no rest, the socket is watched again at
// once. Dense traffic (a flood) that is still coming: rest `coalesce`, so a flood costs one
// wake-up per `coalesce` per socket, each reading what queued meanwhile, and a heartbeat waits
// at most `coalesce` more. The first empty read ends the rests.
Duration ReadPause(Duration since_previous_wakeup, size_t datagrams_read, Duration coalesce);

}  // namespace hbd::net
