// A blocking rtnetlink (NETLINK_ROUTE) socket for the native IPaddr path: one request at a time,
// each answered within a bounded wait (a receive timeout, a bounded number of datagrams). The
// kernel answers these in microseconds, so the event loop blocks no longer than a fork would.
// Errors are returned as text. Not thread-safe; one per action.
#pragma once

#include <string>
#include <vector>

#include "resources/rtnetlink_codec.h"

namespace hbd::resources {

class RouteSocket {
 public:
  RouteSocket();
  ~RouteSocket();
  RouteSocket(const RouteSocket&) = delete;
  RouteSocket& operator=(const RouteSocket&) = delete;

  // "" when the socket is ready, else why not.
  const std::string& OpenError() const { return open_error_; }

  // Each returns "" on success, else the reason (a refused change: the kernel's words, e.g.
  // "File exists").
  std::string Links(std::vector<LinkEntry>& links);
  std::string Addresses(std::vector<AddressEntry>& addresses);
  std::string AddAddress(const AddressChange& change);
  std::string DeleteAddress(const AddressChange& change);

 private:
  std::string Change(const Bytes& request, uint32_t seq);
  std::string Send(const Bytes& request);
  // Reads datagrams into `read` until the state is done (or an error).
  template <typename Reader>
  std::string Receive(ReplyState& state, Reader read);

  int fd_ = -1;
  std::string open_error_;
  uint32_t next_seq_ = 1;
};

}  // namespace hbd::resources
