// The authkeys parser: `auth N` and `N crc|md5|sha1 [KEY]` lines, with Heartbeat's rules (index
// 0-15, crc without key, md5/sha1 with one, `auth` naming a listed key). The file-permission rule
// lives with the loader, which has the file; this part is pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "config/cluster_config.h"
#include "config/diagnostics.h"

namespace hbd::config {

// Parses `content` (the file named `file`) into `auth`, which is reset first: the file is the
// whole authentication setup. `#` starts a comment only at the start of a line (a key may contain
// `#`). A method is case-insensitive; a key is the word after it, further words draw a warning.
// An `auth` line after its key's line is accepted with a warning (Heartbeat would refuse it).
// Keys with errors are left out; `sign_index` is set whenever `auth` names an index 0-15.
// No diagnostic ever quotes a key.
void ParseAuthkeys(std::string_view content, const std::string& file, AuthConfig& auth,
                   Diagnostics& diags);

}  // namespace hbd::config
