// What the kernel says about this machine's network interfaces, read when a medium is opened:
// an interface's index and IPv4 broadcast address, and every local address (to recognise a ucast
// line that names this machine). Thin wrappers of if_nametoindex and getifaddrs; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hbd::net {

// The interface's index, 0 when there is no such interface.
unsigned InterfaceIndex(const std::string& name);

// The same, telling "no such interface" (0) from "could not look" (nullopt: the lookup itself
// failed, e.g. no descriptor left for its socket, EMFILE). Watchers must not take the latter
// for a vanished interface.
std::optional<unsigned> LookUpInterfaceIndex(const std::string& name);

// The IPv4 broadcast address of `interface` ("192.0.2.255"; see ChooseBroadcast), "" when it
// has no IPv4 address or is not a broadcast interface.
std::string BroadcastAddress(const std::string& interface);

// Every address configured on this machine, IPv4 and IPv6, as literals.
std::vector<std::string> LocalAddresses();

// errno as text: "No such device (ENODEV)".
std::string ErrorText(int error);

}  // namespace hbd::net
