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

// Parses `content` (the file named `file`) and appends its groups to `groups`.
void ParseHaresources(std::string_view content, const std::string& file,
                      std::vector<ResourceGroup>& groups, Diagnostics& diags);

// Parses one resource token (`Filesystem::/dev/sda1::/data::ext4`, `10.0.0.1/24/eth0`).
// Returns false (and reports) when the token is not a usable resource.
bool ParseResourceToken(const std::string& token, const SourceLocation& where, Resource& out,
                        Diagnostics& diags);

}  // namespace hbd::config
