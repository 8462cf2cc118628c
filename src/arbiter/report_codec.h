// How a node's group report travels: extra fields of its status messages (Heartbeat peers carry
// unknown fields without harm). `hbd_rv` is the report version, `hbd_seen` lists which version of
// each peer's report this node has processed ("node2:17 node3:4"), and `hbd_g0`, `hbd_g1`, ...
// hold one group each as "STATE[>TARGET] KEY". Pure; thread-safe.
#pragma once

#include <optional>

#include "arbiter/group_state.h"
#include "wire/message.h"

namespace hbd::arbiter {

inline constexpr size_t kMaxReportedGroups = 256;

void PutReport(const NodeReport& report, wire::Message& message);

// The report in a message, or nullopt when it has none or it is malformed (an hbd peer always
// sends one; a Heartbeat peer never does).
std::optional<NodeReport> GetReport(const wire::Message& message);

}  // namespace hbd::arbiter
