// rtnetlink messages for the native IPaddr path, as bytes: the requests `ip addr add`, `ip addr
// del`, `ip -4 addr show` and `ip link show` send (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR dump,
// RTM_GETLINK dump) and the reading of the kernel's answers (acks, errors, dump entries). Replies
// are checked before they are read: a short or inconsistent message is an error value, never a
// read past the buffer. Pure: no sockets. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "resources/ipaddr_spec.h"

namespace hbd::resources {

using Bytes = std::vector<uint8_t>;

// One address to add or remove (ip addr add|del ADDRESS/PREFIX [broadcast B] dev IFACE
// [label IFACE:LABEL]).
struct AddressChange {
  uint32_t ifindex = 0;
  Ipv4 address = 0;
  int prefix = 32;
  std::optional<Ipv4> broadcast;  // add only
  std::string label;              // add only; the full label ("eth0:vip"), "" for none
};

// NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, IFA_LOCAL and IFA_ADDRESS = the address,
// IFA_BROADCAST and IFA_LABEL when set; scope host for 127/8 as ip's default, else global.
Bytes BuildAddAddress(const AddressChange& change, uint32_t seq);
// NLM_F_REQUEST | NLM_F_ACK, IFA_LOCAL and IFA_ADDRESS with the prefix length.
Bytes BuildDeleteAddress(const AddressChange& change, uint32_t seq);
// Dumps: every IPv4 address; every link.
Bytes BuildAddressDump(uint32_t seq);
Bytes BuildLinkDump(uint32_t seq);

// How far a reply (one or more datagrams, fed in order) has come. Messages with another
// sequence number are skipped (late answers to an earlier request).
struct ReplyState {
  bool done = false;         // the ack, the error or the dump's end arrived
  int error = 0;             // the kernel's errno (positive), 0 for success
  bool interrupted = false;  // a dump changed while it was read (NLM_F_DUMP_INTR): ask again
  std::string malformed;     // set when the bytes are not valid netlink: stop reading
};

// One datagram of the answer to an add or delete.
void ReadAck(std::span<const uint8_t> datagram, uint32_t seq, ReplyState& state);

struct LinkEntry {
  uint32_t ifindex = 0;
  std::string name;
  bool up = false;  // IFF_UP: what `ip link` shows as UP in <...>
  std::vector<uint8_t> hardware_address;
};
struct AddressEntry {
  uint32_t ifindex = 0;
  Ipv4 address = 0;  // IFA_LOCAL (IFA_ADDRESS when there is none)
  int prefix = 0;
  std::string label;
};

// One datagram of a dump answer; entries are appended in the kernel's order.
void ReadLinkDump(std::span<const uint8_t> datagram, uint32_t seq, ReplyState& state,
                  std::vector<LinkEntry>& links);
void ReadAddressDump(std::span<const uint8_t> datagram, uint32_t seq, ReplyState& state,
                     std::vector<AddressEntry>& addresses);

// Human words for a kernel errno in a log line ("File exists").
std::string ErrorText(int error);

}  // namespace hbd::resources
