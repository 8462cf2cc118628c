// The ping nodes' transport (ha.cf ping, ping6, ping_group): ICMP and ICMPv6 echo requests to
// every configured address, once per SendRound, and a callback for each echo reply that comes
// from a configured address and answers one of our recent requests. Uses raw sockets (root) and
// falls back to unprivileged ping sockets (SOCK_DGRAM, net.ipv4.ping_group_range) when raw
// sockets are refused. Host names are resolved once, in Open(). Single-threaded: use from the
// io_context's thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/cluster_config.h"
#include "util/asio.h"
#include "util/rate_limiter.h"

namespace hbd::net {

class IcmpPinger {
 public:
  // `address` is the address as the configuration spells it (a PingTarget address).
  using ReplyHandler = std::function<void(const std::string& address)>;

  IcmpPinger(boost::asio::io_context& io, std::vector<config::PingTarget> targets,
             ReplyHandler on_reply);
  ~IcmpPinger();
  IcmpPinger(const IcmpPinger&) = delete;
  IcmpPinger& operator=(const IcmpPinger&) = delete;

  // Opens the ICMP socket (and the ICMPv6 one if an address is IPv6) and resolves the addresses.
  // Returns "" or an error text naming what failed; what did open is used either way.
  std::string Open();
  // One echo request to every address of every target. Errors are logged, rate-limited.
  void SendRound();
  void Close();

  // Skips raw sockets and uses ping sockets directly (tests of the fallback).
  void UsePingSocketsOnly() { raw_allowed_ = false; }
  // "raw", "ping socket" or "closed", for the IPv4 and the IPv6 socket.
  std::string Mode(bool ipv6) const;

 private:
  struct Channel;
  struct Destination;

  std::string OpenChannel(Channel& channel);
  void StartReading(Channel& channel);
  void ReadReplies(Channel& channel);
  void LogLimited(const std::string& key, const std::string& message);

  boost::asio::io_context& io_;
  std::vector<config::PingTarget> targets_;
  ReplyHandler on_reply_;
  std::unique_ptr<Channel> v4_;
  std::unique_ptr<Channel> v6_;
  std::vector<Destination> destinations_;
  uint16_t id_;
  uint16_t sequence_ = 0;
  bool raw_allowed_ = true;
  bool running_ = false;
  RateLimiter log_limiter_;
};

}  // namespace hbd::net
