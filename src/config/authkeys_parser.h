// The authkeys parser: `auth N` and `N crc|md5|sha1 [KEY]` lines, with Heartbeat's rules (index
// 0-15, crc without key, md5/sha1 with one, `auth` naming a listed key). The file-permission rule
// lives with the loader, which has the file; this part is pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "config/cluster_config.h"
#include "config/diagnostics.h"

namespace hbd::config {

void ParseAuthkeys(std::string_view content, const std::string& file, AuthConfig& auth,
                   Diagnostics& diags);

}  // namespace hbd::config
