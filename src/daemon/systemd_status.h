// The one line `systemctl status hbd` shows (sd_notify STATUS=): this node's role, the groups it
// holds and how many peers are up, e.g. "active; holds IPaddr::192.0.2.10/24/eth0; 1 of 1 peers
// up". Made from the daemon's status JSON (status_report.h plus "groups" and "stopping"), so it
// says what `hbctl status` says. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace hbd::daemon {

// Groups named in one list before the rest are counted ("and 3 more").
inline constexpr size_t kStatusLineGroups = 3;

// Missing or malformed fields read as absent; the result is always one line.
std::string SystemdStatusLine(const nlohmann::json& status);

}  // namespace hbd::daemon
