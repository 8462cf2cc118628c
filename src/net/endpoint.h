// A socket address (IPv4 or IPv6, with port and IPv6 scope) as the media and the pinger send to
// and receive from, and the one place host strings from the configuration become addresses.
// Plain values; thread-safe.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

namespace hbd::net {

struct Endpoint {
  sockaddr_storage storage{};
  socklen_t length = 0;

  int family() const { return storage.ss_family; }
  const sockaddr* address() const { return reinterpret_cast<const sockaddr*>(&storage); }
  // The address alone: "192.0.2.1", "fe80::1".
  std::string HostText() const;
  // True when `other` names the same host (address bytes; ports and scopes ignored).
  bool SameHost(const sockaddr* other, socklen_t other_length) const;
};

// `host` is an IP literal (IPv6 optionally with "%interface") or a host name; `family` is
// AF_INET, AF_INET6 or AF_UNSPEC. A link-local IPv6 address without a scope gets
// `scope_index` (the medium's interface). Host names go through getaddrinfo, which may wait for
// DNS: call this when opening, never per packet. Returns nullopt and sets `error` on failure.
std::optional<Endpoint> ResolveEndpoint(const std::string& host, uint16_t port, int family,
                                        unsigned scope_index, std::string* error);

}  // namespace hbd::net
