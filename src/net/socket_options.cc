#include "net/socket_options.h"

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "net/interfaces.h"

namespace hbd::net {
namespace {

bool Fail(const std::string& what, std::string* error) {
  int saved = errno;
  if (error)
    *error = what + ": " + ErrorText(saved);
  return false;
}

}  // namespace

int NewSocket(int family, int type, int protocol, std::string* error) {
  int fd = ::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd < 0)
    Fail("socket", error);
  return fd;
}

bool SetIntOption(int fd, int level, int name, int value, const char* what, std::string* error) {
  if (::setsockopt(fd, level, name, &value, sizeof(value)) == 0)
    return true;
  return Fail(what, error);
}

bool BindToDevice(int fd, const std::string& interface, std::string* error) {
  if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, interface.c_str(),
                   static_cast<socklen_t>(interface.size())) == 0)
    return true;
  return Fail("SO_BINDTODEVICE " + interface, error);
}

bool BindWildcard(int fd, int family, uint16_t port, std::string* error) {
  int rc;
  if (family == AF_INET) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_ANY);
    rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&sin), sizeof(sin));
  } else {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port);
    sin6.sin6_addr = in6addr_any;
    rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&sin6), sizeof(sin6));
  }
  if (rc == 0)
    return true;
  return Fail("bind port " + std::to_string(port), error);
}

bool JoinGroupV4(int fd, const Endpoint& group, unsigned ifindex, std::string* error) {
  sockaddr_in sin;
  std::memcpy(&sin, &group.storage, sizeof(sin));
  ip_mreqn request{};
  request.imr_multiaddr = sin.sin_addr;
  request.imr_ifindex = static_cast<int>(ifindex);
  if (::setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &request, sizeof(request)) == 0 ||
      errno == EADDRINUSE)
    return true;
  return Fail("IP_ADD_MEMBERSHIP " + group.HostText(), error);
}

bool JoinGroupV6(int fd, const Endpoint& group, unsigned ifindex, std::string* error) {
  sockaddr_in6 sin6;
  std::memcpy(&sin6, &group.storage, sizeof(sin6));
  ipv6_mreq request{};
  request.ipv6mr_multiaddr = sin6.sin6_addr;
  request.ipv6mr_interface = ifindex;
  if (::setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &request, sizeof(request)) == 0 ||
      errno == EADDRINUSE)
    return true;
  return Fail("IPV6_ADD_MEMBERSHIP " + group.HostText(), error);
}

bool SetMulticastInterfaceV4(int fd, unsigned ifindex, std::string* error) {
  ip_mreqn request{};
  request.imr_ifindex = static_cast<int>(ifindex);
  if (::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &request, sizeof(request)) == 0)
    return true;
  return Fail("IP_MULTICAST_IF", error);
}

}  // namespace hbd::net
