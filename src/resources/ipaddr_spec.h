// The IPaddr resource's argument and decisions, as values: parsing ADDR[/CIDR[/IFACE[/BROADCAST]]]
// (IFACE may be IFACE:LABEL) with the checks of the shipped resource.d/IPaddr script, and its
// choice of interface and prefix length from the host's IPv4 addresses (subnet discovery). hbd's
// native IPaddr path (NativeIpaddr) uses these in place of the script on the failover path.
// Pure: no sockets, files or clocks. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hbd::resources {

// An IPv4 address in host byte order (192.0.2.1 = 0xC0000201).
using Ipv4 = uint32_t;

std::optional<Ipv4> ParseIpv4(std::string_view text);  // dotted quad as the script's is_ipv4
std::string FormatIpv4(Ipv4 address);

struct IpaddrSpec {
  Ipv4 address = 0;
  std::string address_text;
  int prefix = 0;                 // 0: not given (taken from the matching address)
  std::string interface;          // "": not given (the one holding the subnet)
  std::string label;              // "": none; else added as "IFACE:LABEL"
  std::optional<Ipv4> broadcast;  // not given: computed as `ip addr add ... broadcast +`
};

struct IpaddrSpecResult {
  std::optional<IpaddrSpec> spec;
  std::string error;  // set when spec is empty; the script exits 2 with this message
};

// The script's argument: same fields, same checks, same messages.
IpaddrSpecResult ParseIpaddrSpec(std::string_view text);

// One IPv4 address configured on the host, as the kernel lists them.
struct HostAddress {
  std::string interface;
  Ipv4 address = 0;
  int prefix = 0;
};

// Where the address is configured: the first entry holding it, if any.
std::optional<HostAddress> FindConfigured(const std::vector<HostAddress>& addresses, Ipv4 address);

// The script's find_interface: the first address (other than the VIP itself), on the given
// interface if there is one, in the VIP's subnet (by the given prefix, else by that address's
// own prefix). The answer's interface and prefix are what the VIP is added with.
struct InterfaceChoice {
  std::string interface;
  int prefix = 0;
};
std::optional<InterfaceChoice> ChooseInterface(const IpaddrSpec& spec,
                                               const std::vector<HostAddress>& addresses);
// The script's message when ChooseInterface finds nothing.
std::string NoInterfaceMessage(const IpaddrSpec& spec);

// `ip addr add A/P broadcast +`: every host bit set, for prefixes up to 30; none for /31, /32.
std::optional<Ipv4> DefaultBroadcast(Ipv4 address, int prefix);

bool SameSubnet(Ipv4 a, Ipv4 b, int prefix);

}  // namespace hbd::resources
