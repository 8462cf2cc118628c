// The daemon's status as JSON, for `hbctl status [--json]`, cl_status and metrics: nodes with
// their links, ping targets, media, packet counters. The schema is documented in README.md
// ("Status JSON") and versioned by its "schema" field; fields are only ever added. Pure: the
// shell passes the time and the media states. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/cluster_config.h"
#include "membership/membership_protocol.h"
#include "util/time.h"
#include "wire/packet_verifier.h"

namespace hbd::daemon {

inline constexpr int kStatusSchemaVersion = 1;

struct MediumReport {
  std::string description;
  std::string link;
  bool open = false;
  std::string last_error;
  uint64_t sent = 0, send_errors = 0, received = 0;
};

nlohmann::json BuildStatusReport(const config::ClusterConfig& config,
                                 const membership::MembershipProtocol& protocol,
                                 const wire::VerifierCounters& counters,
                                 const std::vector<MediumReport>& media, TimePoint now,
                                 TimePoint started);

}  // namespace hbd::daemon
