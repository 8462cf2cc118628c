// Builders for the messages hbd originates, shaped as Heartbeat 3.0.6 shapes them
// (heartbeat-protocol.md §2.3, §2.5): the creator's fields first, then the control fields src,
// srcuuid, seq, hg, ts, ld, ttl (seq and ld not for NS_* types, as captured), each overwritten in
// place if already present; the Authenticator then appends `auth`. Pure; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "wire/message.h"

namespace hbd::wire {

// What every message hbd sends says about its sender.
struct ControlFields {
  std::string node;           // src: the local node name, lower case
  std::string uuid;           // srcuuid: 16 raw bytes
  uint64_t seq = 0;           // seq, hex; ignored for NS_* messages
  uint64_t generation = 0;    // hg, hex
  uint64_t wall_seconds = 0;  // ts, hex: wall-clock seconds since the epoch (informational)
  std::string load = "n/a";   // ld: first line of /proc/loadavg, or "n/a"
  int ttl = 3;                // ttl: HeartbeatTtl(...)
};

// Heartbeat's ttl value: 1 (hopfudge) + number of configured nodes, ping nodes included.
inline int HeartbeatTtl(size_t configured_nodes) {
  return 1 + static_cast<int>(configured_nodes);
}

// Adds or overwrites the control fields, in Heartbeat's order.
void AddControlFields(Message& message, const ControlFields& control);

// t=status, st=STATUS, dt=DEADTIME (hex ms), protocol=1, then the control fields. Sign it with
// Authenticator::SignAndEncode.
Message BuildStatusMessage(std::string_view status, std::chrono::milliseconds deadtime,
                           const ControlFields& control);

// True for the NS_* ("no sequence") message types.
bool IsNoSeqType(std::string_view type);

}  // namespace hbd::wire
