// The haresources parser: one resource group per line (`PREFERRED-NODE RESOURCE...`), `\`
// continuation, `#` comments, `NAME::ARG::ARG` resources and bare IPv4 addresses as IPaddr.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/cluster_config.h"
#include "config/diagnostics.h"

namespace hbd::config {

// Parses `content` (the file named `file`) and appends its groups to `groups`, the preferred
// node lower-cased. Only per-line checks: duplicate group keys and unknown nodes are the
// validator's. A line with any bad resource is reported (every bad resource of it) and left out.
void ParseHaresources(std::string_view content, const std::string& file,
                      std::vector<ResourceGroup>& groups, Diagnostics& diags);

// Parses one resource token (`Filesystem::/dev/sda1::/data::ext4`, `10.0.0.1/24/eth0`).
//  * A token starting with a digit is IPaddr's `ADDR[/CIDR[/IFACE[/BROADCAST]]]` (a third part
//    starting with a digit is the broadcast) and becomes IPaddr with the token as its argument;
//    the address must be a dotted quad (no leading zeros), CIDR 1-32, broadcast a dotted quad.
//    The first argument of an explicit `IPaddr::`/`IPaddr2::` gets the same checks.
//  * Otherwise `NAME[::ARG...]`. NAME is a plain name ([A-Za-z0-9_.+-], not `.`, no `..`) or
//    the OCF form `ocf:PROVIDER:TYPE` (the only place `:` is allowed; Heartbeat's
//    `OCF::TYPE::INSTANCE` is the plain name `OCF` with two arguments). Arguments may hold any
//    printable byte (`/` included) but cannot be empty. No part may hold a control character.
// Returns false (and reports) when the token is not a usable resource.
bool ParseResourceToken(const std::string& token, const SourceLocation& where, Resource& out,
                        Diagnostics& diags);

}  // namespace hbd::config
