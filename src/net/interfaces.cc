#include "net/interfaces.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>

#include "net/media_plan.h"

namespace hbd::net {

unsigned InterfaceIndex(const std::string& name) {
  return if_nametoindex(name.c_str());
}

std::optional<unsigned> LookUpInterfaceIndex(const std::string& name) {
  errno = 0;
  unsigned index = if_nametoindex(name.c_str());
  if (index == 0 && errno != 0 && errno != ENODEV && errno != ENXIO)
    return std::nullopt;  // the socket if_nametoindex needs could not be made
  return index;
}

namespace {

std::string AddressText(const sockaddr* sa) {
  char text[INET6_ADDRSTRLEN] = {};
  if (sa == nullptr)
    return "";
  if (sa->sa_family == AF_INET) {
    sockaddr_in sin;
    std::memcpy(&sin, sa, sizeof(sin));
    inet_ntop(AF_INET, &sin.sin_addr, text, sizeof(text));
  } else if (sa->sa_family == AF_INET6) {
    sockaddr_in6 sin6;
    std::memcpy(&sin6, sa, sizeof(sin6));
    inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof(text));
  }
  return text;
}

}  // namespace

std::string BroadcastAddress(const std::string& interface) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0)
    return "";
  std::string result;
  for (ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET || interface != a->ifa_name)
      continue;
    if (!(a->ifa_flags & IFF_BROADCAST))
      continue;
    result = ChooseBroadcast(AddressText(a->ifa_addr), AddressText(a->ifa_netmask),
                             AddressText(a->ifa_broadaddr));
    if (!result.empty())
      break;
  }
  freeifaddrs(list);
  return result;
}

std::vector<std::string> LocalAddresses() {
  std::vector<std::string> result;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0)
    return result;
  for (ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    std::string text = AddressText(a->ifa_addr);
    if (!text.empty())
      result.push_back(text);
  }
  freeifaddrs(list);
  return result;
}

std::string ErrorText(int error) {
  const char* name = strerrorname_np(error);
  return std::string(strerror(error)) + (name ? std::string(" (") + name + ")" : std::string());
}

}  // namespace hbd::net
