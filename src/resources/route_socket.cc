#include "resources/route_socket.h"

#include <errno.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <span>

namespace hbd::resources {
namespace {

constexpr int kReplyTimeoutMs = 2000;
constexpr int kMaxDatagrams = 10000;  // a dump of this many datagrams is not a host we serve
constexpr int kDumpAttempts = 3;      // a dump that changed while being read is asked again
constexpr size_t kBufferSize = 64 * 1024;

std::string Errno(const std::string& what) {
  return what + ": " + ErrorText(errno);
}

}  // namespace

RouteSocket::RouteSocket() {
  fd_ = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd_ < 0) {
    open_error_ = Errno("cannot open a netlink socket");
    return;
  }
  timeval tv{};
  tv.tv_sec = kReplyTimeoutMs / 1000;
  tv.tv_usec = (kReplyTimeoutMs % 1000) * 1000;
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
    open_error_ = Errno("cannot set a netlink receive timeout");
    ::close(fd_);
    fd_ = -1;
  }
}

RouteSocket::~RouteSocket() {
  if (fd_ >= 0)
    ::close(fd_);
}

std::string RouteSocket::Send(const Bytes& request) {
  if (fd_ < 0)
    return open_error_;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t n;
  do {
    n = ::sendto(fd_, request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
                 sizeof kernel);
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return Errno("netlink send failed");
  if (static_cast<size_t>(n) != request.size())
    return "netlink send was cut short";
  return "";
}

template <typename Reader>
std::string RouteSocket::Receive(ReplyState& state, Reader read) {
  std::vector<uint8_t> buffer(kBufferSize);
  for (int i = 0; i < kMaxDatagrams && !state.done; ++i) {
    ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), MSG_TRUNC);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return "no netlink answer within " + std::to_string(kReplyTimeoutMs) + " ms";
    if (n < 0)
      return Errno("netlink receive failed");
    if (static_cast<size_t>(n) > buffer.size())
      return "netlink answer larger than " + std::to_string(buffer.size()) + " bytes";
    read(std::span<const uint8_t>(buffer.data(), static_cast<size_t>(n)), state);
    if (!state.malformed.empty())
      return "bad netlink answer: " + state.malformed;
  }
  if (!state.done)
    return "netlink answer did not end";
  return "";
}

std::string RouteSocket::Links(std::vector<LinkEntry>& links) {
  for (int attempt = 0; attempt < kDumpAttempts; ++attempt) {
    links.clear();
    uint32_t seq = next_seq_++;
    if (std::string error = Send(BuildLinkDump(seq)); !error.empty())
      return error;
    ReplyState state;
    std::string error = Receive(
        state, [&](std::span<const uint8_t> d, ReplyState& s) { ReadLinkDump(d, seq, s, links); });
    if (!error.empty())
      return error;
    if (state.error != 0)
      return "cannot list links: " + ErrorText(state.error);
    if (!state.interrupted)
      return "";
  }
  return "the link list kept changing while it was read";
}

std::string RouteSocket::Addresses(std::vector<AddressEntry>& addresses) {
  for (int attempt = 0; attempt < kDumpAttempts; ++attempt) {
    addresses.clear();
    uint32_t seq = next_seq_++;
    if (std::string error = Send(BuildAddressDump(seq)); !error.empty())
      return error;
    ReplyState state;
    std::string error = Receive(state, [&](std::span<const uint8_t> d, ReplyState& s) {
      ReadAddressDump(d, seq, s, addresses);
    });
    if (!error.empty())
      return error;
    if (state.error != 0)
      return "cannot list addresses: " + ErrorText(state.error);
    if (!state.interrupted)
      return "";
  }
  return "the address list kept changing while it was read";
}

std::string RouteSocket::AddAddress(const AddressChange& change) {
  uint32_t seq = next_seq_++;
  return Change(BuildAddAddress(change, seq), seq);
}

std::string RouteSocket::DeleteAddress(const AddressChange& change) {
  uint32_t seq = next_seq_++;
  return Change(BuildDeleteAddress(change, seq), seq);
}

std::string RouteSocket::Change(const Bytes& request, uint32_t seq) {
  if (std::string error = Send(request); !error.empty())
    return error;
  ReplyState state;
  std::string error =
      Receive(state, [&](std::span<const uint8_t> d, ReplyState& s) { ReadAck(d, seq, s); });
  if (!error.empty())
    return error;
  if (state.error != 0)
    return ErrorText(state.error);
  return "";
}

}  // namespace hbd::resources
