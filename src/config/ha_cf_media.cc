#include "config/ha_cf_media.h"

#include <arpa/inet.h>

#include <algorithm>

namespace hbd::config::ha_cf {
namespace {

// Heartbeat's mcast plugins refuse a TTL/hop count above this; hbd accepts up to 255 (what the
// kernel allows and what the man page documents) and warns, because a Heartbeat node reading the
// same file would refuse to start.
constexpr long kHeartbeatMaxTtl = 4;

bool CheckInterface(Context& ctx, const std::string& directive, const std::string& name) {
  if (IsInterfaceName(name))
    return true;
  ctx.Error(directive + ": '" + name +
            "' is not a network interface name (1-15 characters, no '/')");
  return false;
}

// Records that a medium using udpport was read, so that a later udpport line is caught.
void NoteUdpMedium(Context& ctx, const std::string& directive) {
  if (!ctx.first_udp_medium)
    ctx.first_udp_medium = Context::UdpMediumSeen{directive, ctx.line()};
}

bool IsMulticastV4(const std::string& text) {
  in_addr addr{};
  if (inet_pton(AF_INET, text.c_str(), &addr) != 1)
    return false;
  uint32_t host = ntohl(addr.s_addr);
  return (host >> 28) == 0xE;  // 224.0.0.0/4
}

// Heartbeat's DEFAULT_MCAST_IPADDR.
constexpr const char* kDefaultMcastGroup = "225.0.0.1";

bool IsMulticastV6(const std::string& text) {
  in6_addr addr{};
  if (inet_pton(AF_INET6, text.c_str(), &addr) != 1)
    return false;
  return addr.s6_addr[0] == 0xff;  // ff00::/8
}

void ParseMulticast(Context& ctx, const std::vector<std::string>& given, bool v6) {
  const std::string directive = v6 ? "mcast6" : "mcast";
  const std::string hops = v6 ? "HOPS" : "TTL";
  const std::string syntax = "DEV GROUP PORT " + hops + " LOOP";
  const std::string range = v6 ? "ff00::/8" : "224.0.0.0-239.255.255.255";
  std::vector<std::string> values = given;
  if (values.size() != 5) {
    // The MySQL manual printed `mcast bond0 694 2 0`: the group fell out and the port moved up.
    bool group_missing = values.size() == 4 && ParseInteger(values[1], 0, 65535).has_value();
    if (group_missing && !v6) {
      // Accepted, as operators copied it from the manual, with Heartbeat's default group.
      ctx.Warning("mcast has no group address (4 values: '" + JoinTokens(values) +
                  "', as in the MySQL manual's example); using Heartbeat's default group " +
                  kDefaultMcastGroup + ". Write it out: mcast " + values[0] + " " +
                  kDefaultMcastGroup + " " + JoinTokens(values, 1));
      values.insert(values.begin() + 1, kDefaultMcastGroup);
    } else if (group_missing) {
      ctx.Error(directive + " needs 5 values: " + syntax + "; '" + values[1] +
                "' is not a multicast group, the group address seems to be missing (e.g. " +
                directive + " " + values[0] + " ff05::694 " + JoinTokens(values, 1) + ")");
      return;
    } else {
      ctx.Error(directive + " needs 5 values: " + syntax + "; got " +
                std::to_string(values.size()) +
                (values.empty() ? std::string() : " ('" + JoinTokens(values) + "')"));
      return;
    }
  }
  bool ok = CheckInterface(ctx, directive, values[0]);
  const std::string& group = values[1];
  if (!(v6 ? IsMulticastV6(group) : IsMulticastV4(group))) {
    bool is_address = v6 ? IsIPv6Literal(group) : IsIPv4Literal(group);
    ctx.Error(directive + ": '" + group + "' is not " +
              (is_address ? std::string("a multicast group address")
                          : std::string(v6 ? "an IPv6" : "an IPv4") + " multicast group") +
              " (" + range + ")");
    ok = false;
  }
  auto port = ParseInteger(values[2], 1, 65535);
  if (!port) {
    ctx.Error(directive + ": port '" + values[2] + "' is not a UDP port number (1-65535)");
    ok = false;
  }
  auto ttl = ParseInteger(values[3], 0, 255);
  if (!ttl) {
    ctx.Error(directive + ": " + hops + " '" + values[3] + "' is not a number from 0 to 255");
    ok = false;
  }
  auto loop = ParseInteger(values[4], 0, 1);
  if (!loop) {
    ctx.Error(directive + ": LOOP '" + values[4] + "' must be 0 or 1");
    ok = false;
  }
  if (!ok)
    return;
  if (*ttl > kHeartbeatMaxTtl) {
    ctx.Warning(directive + ": " + hops + " " + values[3] +
                " is accepted by hbd, but Heartbeat 3 refuses values above 4; a Heartbeat node "
                "reading this file would not start");
  } else if (*ttl == 0) {
    ctx.Warning(directive + ": " + hops +
                " 0 keeps heartbeats on this host; use 1 for the local subnet");
  }
  Medium medium;
  medium.type = v6 ? MediumType::kMcast6 : MediumType::kMcast;
  medium.interface = values[0];
  medium.address = group;
  medium.port = static_cast<uint16_t>(*port);
  medium.ttl = static_cast<int>(*ttl);
  medium.loop = *loop == 1;
  medium.where = ctx.Here();
  ctx.config().media.push_back(std::move(medium));
}

void ParseUnicast(Context& ctx, const std::vector<std::string>& values, bool v6) {
  const std::string directive = v6 ? "ucast6" : "ucast";
  if (values.size() < 2) {
    ctx.Error(directive + " needs 2 values: DEV PEER; got " + std::to_string(values.size()) +
              (values.empty() ? std::string() : " ('" + JoinTokens(values) + "')"));
    return;
  }
  if (!CheckInterface(ctx, directive, values[0]))
    return;
  NoteUdpMedium(ctx, directive);
  for (size_t i = 1; i < values.size(); ++i) {
    std::string peer = values[i];
    if (v6) {
      size_t percent = peer.find('%');
      if (percent != std::string::npos) {
        std::string scope = peer.substr(percent + 1);
        peer.resize(percent);
        if (scope != values[0]) {
          ctx.Error("ucast6: peer '" + values[i] + "' names interface '" + scope +
                    "' but the line's device is '" + values[0] + "'");
          continue;
        }
      }
      if (!IsIPv6Literal(peer)) {
        ctx.Error("ucast6: peer '" + values[i] + "' is not an IPv6 address" +
                  (IsIPv4Literal(peer) ? "; use ucast for IPv4 peers" : ""));
        continue;
      }
    } else if (IsIPv6Literal(peer)) {
      ctx.Error("ucast: peer '" + peer + "' is an IPv6 address; use ucast6 for IPv6 peers");
      continue;
    } else if (!IsIPv4Literal(peer) && !IsHostName(peer)) {
      ctx.Error("ucast: peer '" + peer + "' is neither an IPv4 address nor a host name");
      continue;
    }
    Medium medium;
    medium.type = v6 ? MediumType::kUcast6 : MediumType::kUcast;
    medium.interface = values[0];
    medium.address = peer;
    medium.port = ctx.config().udpport;
    medium.where = ctx.Here();
    ctx.config().media.push_back(std::move(medium));
  }
}

bool CheckPingHost(Context& ctx, const std::string& directive, const std::string& host, bool v6) {
  if (IsHostName(host))
    return true;
  if (v6 ? IsIPv6Literal(host) : IsIPv4Literal(host))
    return true;
  if (!v6 && IsIPv6Literal(host)) {
    ctx.Error(directive + ": '" + host + "' is an IPv6 address; use ping6 for IPv6 hosts");
  } else {
    ctx.Error(directive + ": '" + host + "' is neither an " + (v6 ? "IPv6" : "IPv4") +
              " address nor a host name");
  }
  return false;
}

bool PingNameTaken(Context& ctx, const std::string& name) {
  const auto& targets = ctx.config().ping_targets;
  auto it = std::find_if(targets.begin(), targets.end(),
                         [&](const PingTarget& t) { return t.name == name; });
  if (it == targets.end())
    return false;
  ctx.Warning("ping node '" + name + "' is already defined on line " +
              std::to_string(it->where.line) + "; this one is ignored");
  return true;
}

}  // namespace

void ParseBcast(Context& ctx, const std::string& directive, const std::string& interface) {
  if (!CheckInterface(ctx, directive, interface))
    return;
  NoteUdpMedium(ctx, directive);
  Medium medium;
  medium.type = MediumType::kBcast;
  medium.interface = interface;
  medium.port = ctx.config().udpport;
  medium.where = ctx.Here();
  ctx.config().media.push_back(std::move(medium));
}

void ParseMcast(Context& ctx, const std::vector<std::string>& values) {
  ParseMulticast(ctx, values, false);
}

void ParseMcast6(Context& ctx, const std::vector<std::string>& values) {
  ParseMulticast(ctx, values, true);
}

void ParseUcast(Context& ctx, const std::vector<std::string>& values) {
  ParseUnicast(ctx, values, false);
}

void ParseUcast6(Context& ctx, const std::vector<std::string>& values) {
  ParseUnicast(ctx, values, true);
}

void AddPingNode(Context& ctx, const std::string& directive, const std::string& host) {
  if (!CheckPingHost(ctx, directive, host, directive == "ping6"))
    return;
  if (PingNameTaken(ctx, host) || NodeTableFull(ctx, directive + " " + host))
    return;
  PingTarget target;
  target.name = host;
  target.addresses = {host};
  target.where = ctx.Here();
  ctx.config().ping_targets.push_back(std::move(target));
}

void ParsePingGroup(Context& ctx, const std::vector<std::string>& values) {
  if (values.size() < 2) {
    ctx.Error("ping_group needs a name and at least one host: ping_group NAME HOST [HOST...]");
    return;
  }
  PingTarget target;
  target.name = values[0];
  target.is_group = true;
  target.where = ctx.Here();
  bool ok = true;
  for (size_t i = 1; i < values.size(); ++i) {
    if (!CheckPingHost(ctx, "ping_group", values[i], false)) {
      ok = false;
      continue;
    }
    if (std::find(target.addresses.begin(), target.addresses.end(), values[i]) !=
        target.addresses.end()) {
      ctx.Warning("ping_group " + target.name + ": host '" + values[i] + "' is listed twice");
      continue;
    }
    target.addresses.push_back(values[i]);
  }
  if (!ok || PingNameTaken(ctx, target.name) || NodeTableFull(ctx, "ping_group " + target.name))
    return;
  ctx.config().ping_targets.push_back(std::move(target));
}

}  // namespace hbd::config::ha_cf
