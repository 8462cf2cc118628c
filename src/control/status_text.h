// The person-readable form of the daemon's status JSON (`hbctl status`): nodes with their links,
// ping nodes, media and packet counters, one fact per line. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace hbd::control {

std::string FormatStatusText(const nlohmann::json& status);

}  // namespace hbd::control
