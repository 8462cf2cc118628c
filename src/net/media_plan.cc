#include "net/media_plan.h"

#include <arpa/inet.h>

#include <cerrno>
#include <cstring>

namespace hbd::net {

AddressFamily FamilyOf(config::MediumType type) {
  switch (type) {
    case config::MediumType::kMcast6:
    case config::MediumType::kUcast6:
      return AddressFamily::kIPv6;
    case config::MediumType::kBcast:
    case config::MediumType::kMcast:
    case config::MediumType::kUcast:
      break;
  }
  return AddressFamily::kIPv4;
}

bool IsMulticast(config::MediumType type) {
  return type == config::MediumType::kMcast || type == config::MediumType::kMcast6;
}

std::vector<ReceiveSocketPlan> PlanReceiveSockets(const std::vector<config::Medium>& media) {
  std::vector<ReceiveSocketPlan> plans;
  for (size_t i = 0; i < media.size(); ++i) {
    const config::Medium& m = media[i];
    AddressFamily family = FamilyOf(m.type);
    bool placed = false;
    for (ReceiveSocketPlan& plan : plans) {
      if (plan.family == family && plan.interface == m.interface && plan.port == m.port) {
        plan.media.push_back(i);
        placed = true;
        break;
      }
    }
    if (!placed)
      plans.push_back(ReceiveSocketPlan{family, m.interface, m.port, {i}});
  }
  return plans;
}

std::string DescribeMedium(const config::Medium& medium) {
  std::string text = std::string(config::ToString(medium.type)) + " " + medium.interface + " ";
  if (FamilyOf(medium.type) == AddressFamily::kIPv6 && !medium.address.empty())
    text += "[" + medium.address + "]";
  else
    text += medium.address;
  return text + ":" + std::to_string(medium.port);
}

namespace {

struct Address {
  int family = 0;
  unsigned char bytes[16] = {};
};

bool ParseAddress(const std::string& text, Address& out) {
  std::string literal = text.substr(0, text.find('%'));  // a scope names the link, not the host
  if (inet_pton(AF_INET, literal.c_str(), out.bytes) == 1) {
    out.family = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, literal.c_str(), out.bytes) == 1) {
    out.family = AF_INET6;
    return true;
  }
  return false;
}

}  // namespace

bool IsOwnAddress(const std::string& peer, const std::vector<std::string>& local_addresses) {
  Address p;
  if (!ParseAddress(peer, p))
    return false;
  for (const std::string& local : local_addresses) {
    Address l;
    if (ParseAddress(local, l) && l.family == p.family &&
        std::memcmp(l.bytes, p.bytes, p.family == AF_INET ? 4 : 16) == 0)
      return true;
  }
  return false;
}

std::string ChooseBroadcast(const std::string& address, const std::string& netmask,
                            const std::string& reported_broadcast) {
  in_addr addr{}, mask{}, reported{};
  if (inet_pton(AF_INET, address.c_str(), &addr) != 1 ||
      inet_pton(AF_INET, netmask.c_str(), &mask) != 1)
    return "";
  if (inet_pton(AF_INET, reported_broadcast.c_str(), &reported) == 1 &&
      reported.s_addr != addr.s_addr && reported.s_addr != htonl(INADDR_ANY))
    return reported_broadcast;
  uint32_t host_mask = ntohl(mask.s_addr);
  in_addr broadcast{};
  if (host_mask >= 0xfffffffeu)  // /31, /32: no subnet broadcast
    broadcast.s_addr = htonl(INADDR_BROADCAST);
  else
    broadcast.s_addr = addr.s_addr | ~mask.s_addr;
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &broadcast, text, sizeof(text));
  return text;
}

ReceiveOutcome ClassifyReceive(long result, int error, size_t capacity) {
  if (result >= 0)
    return static_cast<size_t>(result) > capacity ? ReceiveOutcome::kTooBig
                                                  : ReceiveOutcome::kDatagram;
  if (error == EAGAIN || error == EWOULDBLOCK)
    return ReceiveOutcome::kNoMore;
  if (error == EINTR)
    return ReceiveOutcome::kInterrupted;
  return ReceiveOutcome::kError;
}

Duration ReadPause(Duration since_previous_wakeup, size_t datagrams_read, Duration coalesce) {
  if (datagrams_read == 0)
    return Duration::zero();
  if (since_previous_wakeup >= Duration::zero() && since_previous_wakeup < 2 * coalesce)
    return coalesce;
  return Duration::zero();
}

}  // namespace hbd::net
