#include "net/endpoint.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <cstring>

namespace hbd::net {

std::string Endpoint::HostText() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    sockaddr_in sin;
    std::memcpy(&sin, &storage, sizeof(sin));
    inet_ntop(AF_INET, &sin.sin_addr, text, sizeof(text));
  } else if (family() == AF_INET6) {
    sockaddr_in6 sin6;
    std::memcpy(&sin6, &storage, sizeof(sin6));
    inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof(text));
  }
  return text;
}

bool Endpoint::SameHost(const sockaddr* other, socklen_t other_length) const {
  if (other == nullptr || other->sa_family != family())
    return false;
  if (family() == AF_INET && other_length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in a, b;
    std::memcpy(&a, &storage, sizeof(a));
    std::memcpy(&b, other, sizeof(b));
    return a.sin_addr.s_addr == b.sin_addr.s_addr;
  }
  if (family() == AF_INET6 && other_length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 a, b;
    std::memcpy(&a, &storage, sizeof(a));
    std::memcpy(&b, other, sizeof(b));
    return std::memcmp(&a.sin6_addr, &b.sin6_addr, sizeof(a.sin6_addr)) == 0;
  }
  return false;
}

std::optional<Endpoint> ResolveEndpoint(const std::string& host, uint16_t port, int family,
                                        unsigned scope_index, std::string* error) {
  addrinfo hints{};
  hints.ai_family = family;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* result = nullptr;
  std::string service = std::to_string(port);
  int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &result);
  if (rc != 0 || result == nullptr) {
    if (error)
      *error = "cannot resolve '" + host + "': " + gai_strerror(rc);
    return std::nullopt;
  }
  Endpoint e;
  std::memcpy(&e.storage, result->ai_addr, result->ai_addrlen);
  e.length = result->ai_addrlen;
  freeaddrinfo(result);
  if (e.family() == AF_INET6) {
    sockaddr_in6 sin6;
    std::memcpy(&sin6, &e.storage, sizeof(sin6));
    bool needs_scope = IN6_IS_ADDR_LINKLOCAL(&sin6.sin6_addr) ||
                       IN6_IS_ADDR_MC_LINKLOCAL(&sin6.sin6_addr) ||
                       IN6_IS_ADDR_MC_NODELOCAL(&sin6.sin6_addr);
    if (needs_scope && sin6.sin6_scope_id == 0) {
      sin6.sin6_scope_id = scope_index;
      std::memcpy(&e.storage, &sin6, sizeof(sin6));
    }
  }
  return e;
}

}  // namespace hbd::net
