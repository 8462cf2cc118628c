// Creating sockets the way every hbd network socket is made (non-blocking, close-on-exec) and
// setting their options, each failure turned into a readable error text naming the option.
// Thin wrappers of socket(2) and setsockopt(2); thread-safe.
#pragma once

#include <string>

#include "net/endpoint.h"

namespace hbd::net {

// IPV6_MULTICAST_ALL (Linux 4.20); older headers lack the name.
inline constexpr int kIpv6MulticastAll = 29;

// A new socket, SOCK_NONBLOCK | SOCK_CLOEXEC; -1 and `error` set on failure.
int NewSocket(int family, int type, int protocol, std::string* error);

// setsockopt with an int value; `error` (if not null) says which option failed and why.
bool SetIntOption(int fd, int level, int name, int value, const char* what, std::string* error);
bool BindToDevice(int fd, const std::string& interface, std::string* error);
// Binds to 0.0.0.0:port or [::]:port.
bool BindWildcard(int fd, int family, uint16_t port, std::string* error);
// Joins `group` on the interface with index `ifindex`; already joined counts as success.
bool JoinGroupV4(int fd, const Endpoint& group, unsigned ifindex, std::string* error);
bool JoinGroupV6(int fd, const Endpoint& group, unsigned ifindex, std::string* error);
bool SetMulticastInterfaceV4(int fd, unsigned ifindex, std::string* error);

}  // namespace hbd::net
