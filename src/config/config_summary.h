// The normalised summary that `hbd --check-config` prints after the diagnostics: nodes, media,
// timings in ms, ping targets and resource groups in start order, one fact per line so operators
// can diff two nodes' outputs. Pure; thread-safe.
#pragma once

#include <string>

#include "config/cluster_config.h"

namespace hbd::config {

std::string SummarizeConfig(const ClusterConfig& config, const std::string& local_node);

}  // namespace hbd::config
