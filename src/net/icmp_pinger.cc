#include "net/icmp_pinger.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "net/endpoint.h"
#include "net/icmp_echo.h"
#include "net/interfaces.h"
#include "net/socket_options.h"
#include "util/log.h"

namespace hbd::net {
namespace {

constexpr size_t kReplyBufferBytes = 4096;
constexpr int kRepliesPerWakeup = 64;
// Replies to one of the last this many rounds count; older ones are stale.
constexpr uint16_t kSequenceWindow = 4;
constexpr std::string_view kPayload = "hbd ping";

// Linux raw socket filters (linux/icmp.h and netinet/icmp6.h spell these with macros and
// structs that clash with glibc's headers or need old-style casts).
constexpr int kSolRaw = 255;
constexpr int kIcmpFilter = 1;
constexpr int kIcmp6Filter = 1;

using Descriptor = boost::asio::posix::stream_descriptor;

}  // namespace

struct IcmpPinger::Channel {
  Channel(boost::asio::io_context& io, AddressFamily f)
      : family(f), descriptor(io), buffer(kReplyBufferBytes) {}
  AddressFamily family;
  Descriptor descriptor;
  std::vector<uint8_t> buffer;  // reused for every reply
  bool open = false;
  bool raw = false;
  uint64_t generation = 0;
};

struct IcmpPinger::Destination {
  std::string address;  // as configured
  Endpoint endpoint;
};

IcmpPinger::IcmpPinger(boost::asio::io_context& io, std::vector<config::PingTarget> targets,
                       ReplyHandler on_reply)
    : io_(io),
      targets_(std::move(targets)),
      on_reply_(std::move(on_reply)),
      v4_(std::make_unique<Channel>(io, AddressFamily::kIPv4)),
      v6_(std::make_unique<Channel>(io, AddressFamily::kIPv6)),
      id_(static_cast<uint16_t>(::getpid() & 0xffff)),
      log_limiter_(std::chrono::seconds(60), 3) {}

IcmpPinger::~IcmpPinger() {
  Close();
}

std::string IcmpPinger::Open() {
  Close();
  std::string errors;
  auto add_error = [&errors](const std::string& e) {
    if (!e.empty())
      errors += (errors.empty() ? "" : "; ") + e;
  };
  destinations_.clear();
  for (const config::PingTarget& target : targets_) {
    for (const std::string& address : target.addresses) {
      bool known = false;
      for (const Destination& d : destinations_)
        known = known || d.address == address;
      if (known)
        continue;
      std::string error;
      std::optional<Endpoint> e = ResolveEndpoint(address, 0, AF_UNSPEC, 0, &error);
      if (!e) {
        add_error("ping node " + target.name + ": " + error);
        continue;
      }
      destinations_.push_back(Destination{address, *e});
    }
  }
  bool need_v4 = false;
  bool need_v6 = false;
  for (const Destination& d : destinations_) {
    need_v4 = need_v4 || d.endpoint.family() == AF_INET;
    need_v6 = need_v6 || d.endpoint.family() == AF_INET6;
  }
  running_ = true;
  if (need_v4)
    add_error(OpenChannel(*v4_));
  if (need_v6)
    add_error(OpenChannel(*v6_));
  return errors;
}

std::string IcmpPinger::OpenChannel(Channel& channel) {
  const bool v4 = channel.family == AddressFamily::kIPv4;
  const int family = v4 ? AF_INET : AF_INET6;
  const int protocol = v4 ? static_cast<int>(IPPROTO_ICMP) : static_cast<int>(IPPROTO_ICMPV6);
  const char* name = v4 ? "ICMP" : "ICMPv6";
  std::string raw_error;
  int fd = -1;
  if (raw_allowed_) {
    fd = NewSocket(family, SOCK_RAW, protocol, &raw_error);
    if (fd >= 0) {
      // Only echo replies reach the socket (the filters block types whose bit is set).
      if (v4) {
        uint32_t mask = ~(1u << kIcmpEchoReply);
        ::setsockopt(fd, kSolRaw, kIcmpFilter, &mask, sizeof(mask));
      } else {
        uint32_t filter[8];
        std::memset(filter, 0xff, sizeof(filter));
        filter[kIcmp6EchoReply >> 5] &= ~(1u << (kIcmp6EchoReply & 31));
        ::setsockopt(fd, IPPROTO_ICMPV6, kIcmp6Filter, filter, sizeof(filter));
      }
      channel.raw = true;
    }
  }
  if (fd < 0) {
    std::string dgram_error;
    fd = NewSocket(family, SOCK_DGRAM, protocol, &dgram_error);
    if (fd < 0) {
      return std::string(name) +
             " socket: " + (raw_error.empty() ? "" : "raw: " + raw_error + ", ") +
             "ping socket: " + dgram_error;
    }
    channel.raw = false;
    if (!raw_error.empty())
      LogInfo(std::string(name) + " raw socket refused (" + raw_error + "); using a ping socket");
  }
  channel.descriptor.assign(fd);
  channel.open = true;
  ++channel.generation;
  StartReading(channel);
  return "";
}

void IcmpPinger::Close() {
  running_ = false;
  for (Channel* channel : {v4_.get(), v6_.get()}) {
    boost::system::error_code ignored;
    channel->descriptor.close(ignored);
    channel->open = false;
    ++channel->generation;
  }
}

std::string IcmpPinger::Mode(bool ipv6) const {
  const Channel& channel = ipv6 ? *v6_ : *v4_;
  if (!channel.open)
    return "closed";
  return channel.raw ? "raw" : "ping socket";
}

void IcmpPinger::SendRound() {
  if (!running_)
    return;
  ++sequence_;
  for (const Destination& d : destinations_) {
    Channel& channel = d.endpoint.family() == AF_INET ? *v4_ : *v6_;
    if (!channel.open)
      continue;
    std::vector<uint8_t> request = BuildEchoRequest(channel.family, id_, sequence_, kPayload);
    ssize_t n = ::sendto(channel.descriptor.native_handle(), request.data(), request.size(),
                         MSG_DONTWAIT | MSG_NOSIGNAL, d.endpoint.address(), d.endpoint.length);
    if (n < 0) {
      LogLimited("send " + d.address,
                 "ping node address " + d.address + ": echo request failed: " + ErrorText(errno));
    }
  }
}

void IcmpPinger::StartReading(Channel& channel) {
  channel.descriptor.async_wait(
      Descriptor::wait_read,
      [this, &channel, generation = channel.generation](boost::system::error_code ec) {
        if (ec == boost::asio::error::operation_aborted)
          return;  // closed; `this` may be gone
        if (!running_ || channel.generation != generation)
          return;
        if (ec) {
          LogWarning("ICMP socket: waiting for replies failed: " + ec.message());
          return;
        }
        ReadReplies(channel);
      });
}

void IcmpPinger::ReadReplies(Channel& channel) {
  const uint64_t generation = channel.generation;
  const int fd = channel.descriptor.native_handle();
  for (int k = 0; k < kRepliesPerWakeup; ++k) {
    sockaddr_storage from{};
    socklen_t from_length = sizeof(from);
    ssize_t n =
        ::recvfrom(fd, channel.buffer.data(), channel.buffer.size(), MSG_TRUNC | MSG_DONTWAIT,
                   reinterpret_cast<sockaddr*>(&from), &from_length);
    ReceiveOutcome outcome = ClassifyReceive(n, n < 0 ? errno : 0, channel.buffer.size());
    if (outcome == ReceiveOutcome::kNoMore)
      break;
    if (outcome == ReceiveOutcome::kInterrupted || outcome == ReceiveOutcome::kTooBig)
      continue;
    if (outcome == ReceiveOutcome::kError) {
      LogLimited("recv", "ICMP socket: receive failed: " + ErrorText(errno));
      break;
    }
    const bool with_ip_header = channel.raw && channel.family == AddressFamily::kIPv4;
    std::optional<EchoReply> reply =
        ParseEchoReply(std::span<const uint8_t>(channel.buffer.data(), static_cast<size_t>(n)),
                       channel.family, with_ip_header);
    // A ping socket's kernel sets the id and hands the socket only its own replies.
    if (!reply || (channel.raw && reply->id != id_) ||
        !IsRecentSequence(reply->sequence, sequence_, kSequenceWindow))
      continue;
    for (const Destination& d : destinations_) {
      if (!d.endpoint.SameHost(reinterpret_cast<const sockaddr*>(&from), from_length))
        continue;
      on_reply_(d.address);
      if (!running_ || channel.generation != generation)
        return;  // the handler closed the pinger
    }
  }
  StartReading(channel);
}

void IcmpPinger::LogLimited(const std::string& key, const std::string& message) {
  RateLimiter::Decision d = log_limiter_.Check(key, Clock::now());
  if (!d.allow)
    return;
  std::string suffix;
  if (d.suppressed_before > 0)
    suffix = " (" + std::to_string(d.suppressed_before) + " similar lines suppressed)";
  LogWarning(message + suffix);
}

}  // namespace hbd::net
