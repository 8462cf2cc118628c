#include "resources/rtnetlink_codec.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <cstring>
#include <functional>

namespace hbd::resources {
namespace {

constexpr size_t kHeader = sizeof(nlmsghdr);

size_t Align(size_t n) {
  return (n + 3) & ~size_t{3};
}

// resize and memcpy rather than insert: g++ 12 warns falsely (stringop-overflow) on insert here.
void AppendRaw(Bytes& out, const void* data, size_t size) {
  size_t at = out.size();
  out.resize(at + size);
  if (size > 0)
    std::memcpy(out.data() + at, data, size);
}

template <typename T>
void Append(Bytes& out, const T& value) {
  AppendRaw(out, &value, sizeof value);
}

void Pad(Bytes& out) {
  out.resize(Align(out.size()), 0);
}

void AddAttribute(Bytes& out, uint16_t type, const void* data, size_t size) {
  rtattr attr{};
  attr.rta_len = static_cast<unsigned short>(RTA_LENGTH(size));
  attr.rta_type = type;
  Append(out, attr);
  AppendRaw(out, data, size);
  Pad(out);
}

void AddIpv4(Bytes& out, uint16_t type, Ipv4 address) {
  uint32_t network = htonl(address);
  AddAttribute(out, type, &network, sizeof network);
}

// Header first with a zero length, fixed at the end by Finish.
Bytes Begin(uint16_t type, uint16_t flags, uint32_t seq) {
  Bytes out;
  nlmsghdr h{};
  h.nlmsg_type = type;
  h.nlmsg_flags = flags;
  h.nlmsg_seq = seq;
  Append(out, h);
  return out;
}

Bytes Finish(Bytes out) {
  uint32_t length = static_cast<uint32_t>(out.size());
  std::memcpy(out.data(), &length, sizeof length);
  return out;
}

Bytes AddressMessage(uint16_t type, uint16_t flags, const AddressChange& change, uint32_t seq,
                     bool add) {
  Bytes out = Begin(type, flags, seq);
  ifaddrmsg ifa{};
  ifa.ifa_family = AF_INET;
  ifa.ifa_prefixlen = static_cast<unsigned char>(change.prefix);
  ifa.ifa_scope = (change.address >> 24) == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
  ifa.ifa_index = change.ifindex;
  Append(out, ifa);
  AddIpv4(out, IFA_LOCAL, change.address);
  AddIpv4(out, IFA_ADDRESS, change.address);
  if (add && change.broadcast)
    AddIpv4(out, IFA_BROADCAST, *change.broadcast);
  if (add && !change.label.empty())
    AddAttribute(out, IFA_LABEL, change.label.c_str(), change.label.size() + 1);
  return Finish(std::move(out));
}

// Walks the messages of one datagram: error and done messages update `state`; every other
// message of our sequence goes to `entry` with its payload.
void Walk(std::span<const uint8_t> data, uint32_t seq, ReplyState& state,
          const std::function<void(uint16_t type, std::span<const uint8_t> payload)>& entry) {
  while (!data.empty() && !state.done && state.malformed.empty()) {
    nlmsghdr h{};
    if (data.size() < kHeader) {
      state.malformed = "truncated netlink header";
      return;
    }
    std::memcpy(&h, data.data(), kHeader);
    if (h.nlmsg_len < kHeader || h.nlmsg_len > data.size()) {
      state.malformed = "netlink message length " + std::to_string(h.nlmsg_len) +
                        " does not fit the " + std::to_string(data.size()) + " bytes left";
      return;
    }
    std::span<const uint8_t> payload = data.subspan(kHeader, h.nlmsg_len - kHeader);
    data = data.subspan(std::min<size_t>(Align(h.nlmsg_len), data.size()));
    if (h.nlmsg_seq != seq)
      continue;
    if (h.nlmsg_flags & NLM_F_DUMP_INTR)
      state.interrupted = true;
    if (h.nlmsg_type == NLMSG_ERROR) {
      int32_t error = 0;
      if (payload.size() < sizeof error) {
        state.malformed = "truncated netlink error message";
        return;
      }
      std::memcpy(&error, payload.data(), sizeof error);
      state.done = true;
      state.error = error < 0 ? -error : error;
      return;
    }
    if (h.nlmsg_type == NLMSG_DONE) {
      int32_t error = 0;
      if (payload.size() >= sizeof error)
        std::memcpy(&error, payload.data(), sizeof error);
      state.done = true;
      state.error = error < 0 ? -error : 0;
      return;
    }
    if (h.nlmsg_type == NLMSG_NOOP || h.nlmsg_type == NLMSG_OVERRUN)
      continue;
    entry(h.nlmsg_type, payload);
  }
}

// Calls `each(type, value)` for every attribute in `data`; false when one does not fit.
bool Attributes(std::span<const uint8_t> data,
                const std::function<void(uint16_t type, std::span<const uint8_t> value)>& each) {
  while (data.size() >= sizeof(rtattr)) {
    rtattr attr{};
    std::memcpy(&attr, data.data(), sizeof attr);
    if (attr.rta_len < sizeof attr || attr.rta_len > data.size())
      return false;
    each(attr.rta_type, data.subspan(sizeof attr, attr.rta_len - sizeof attr));
    data = data.subspan(std::min<size_t>(Align(attr.rta_len), data.size()));
  }
  return data.empty();
}

std::string CString(std::span<const uint8_t> value) {
  std::string text(value.begin(), value.end());
  return text.substr(0, text.find('\0'));
}

}  // namespace

Bytes BuildAddAddress(const AddressChange& change, uint32_t seq) {
  return AddressMessage(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, change,
                        seq, true);
}

Bytes BuildDeleteAddress(const AddressChange& change, uint32_t seq) {
  return AddressMessage(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, change, seq, false);
}

Bytes BuildAddressDump(uint32_t seq) {
  Bytes out = Begin(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq);
  ifaddrmsg ifa{};
  ifa.ifa_family = AF_INET;
  Append(out, ifa);
  return Finish(std::move(out));
}

Bytes BuildLinkDump(uint32_t seq) {
  Bytes out = Begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  Append(out, ifi);
  return Finish(std::move(out));
}

void ReadAck(std::span<const uint8_t> datagram, uint32_t seq, ReplyState& state) {
  Walk(datagram, seq, state, [](uint16_t, std::span<const uint8_t>) {});
}

void ReadLinkDump(std::span<const uint8_t> datagram, uint32_t seq, ReplyState& state,
                  std::vector<LinkEntry>& links) {
  Walk(datagram, seq, state, [&](uint16_t type, std::span<const uint8_t> payload) {
    if (type != RTM_NEWLINK || !state.malformed.empty())
      return;
    ifinfomsg ifi{};
    if (payload.size() < sizeof ifi) {
      state.malformed = "truncated link message";
      return;
    }
    std::memcpy(&ifi, payload.data(), sizeof ifi);
    LinkEntry link;
    link.ifindex = static_cast<uint32_t>(ifi.ifi_index);
    link.up = (ifi.ifi_flags & IFF_UP) != 0;
    bool fits = Attributes(payload.subspan(Align(sizeof ifi)),
                           [&](uint16_t attr, std::span<const uint8_t> value) {
                             if (attr == IFLA_IFNAME)
                               link.name = CString(value);
                             else if (attr == IFLA_ADDRESS)
                               link.hardware_address.assign(value.begin(), value.end());
                           });
    if (!fits) {
      state.malformed = "bad attribute in link message";
      return;
    }
    links.push_back(std::move(link));
  });
}

void ReadAddressDump(std::span<const uint8_t> datagram, uint32_t seq, ReplyState& state,
                     std::vector<AddressEntry>& addresses) {
  Walk(datagram, seq, state, [&](uint16_t type, std::span<const uint8_t> payload) {
    if (type != RTM_NEWADDR || !state.malformed.empty())
      return;
    ifaddrmsg ifa{};
    if (payload.size() < sizeof ifa) {
      state.malformed = "truncated address message";
      return;
    }
    std::memcpy(&ifa, payload.data(), sizeof ifa);
    if (ifa.ifa_family != AF_INET)
      return;
    AddressEntry entry;
    entry.ifindex = ifa.ifa_index;
    entry.prefix = ifa.ifa_prefixlen;
    std::optional<Ipv4> local, address;
    bool fits = Attributes(
        payload.subspan(Align(sizeof ifa)), [&](uint16_t attr, std::span<const uint8_t> value) {
          uint32_t network = 0;
          if ((attr == IFA_LOCAL || attr == IFA_ADDRESS) && value.size() == sizeof network) {
            std::memcpy(&network, value.data(), sizeof network);
            (attr == IFA_LOCAL ? local : address) = ntohl(network);
          } else if (attr == IFA_LABEL) {
            entry.label = CString(value);
          }
        });
    if (!fits) {
      state.malformed = "bad attribute in address message";
      return;
    }
    if (!local && !address)
      return;  // nothing to compare with
    entry.address = local ? *local : *address;
    addresses.push_back(std::move(entry));
  });
}

std::string ErrorText(int error) {
  const char* text = strerrordesc_np(error);
  return text ? std::string(text) : "error " + std::to_string(error);
}

}  // namespace hbd::resources
