// The ha.cf parser: reads Heartbeat 3's ha.cf grammar, line by line and in order, into the
// ClusterConfig model. Every directive Heartbeat 3 knows is recognised; those hbd implements are
// stored typed, the others give a warning that says they have no effect in hbd. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "config/cluster_config.h"
#include "config/diagnostics.h"

namespace hbd::config {

// Parses `content` (the text of the file named `file`) into `config`, reporting every problem to
// `diags` with its line. Never throws on bad input.
void ParseHaCf(std::string_view content, const std::string& file, ClusterConfig& config,
               Diagnostics& diags);

}  // namespace hbd::config
