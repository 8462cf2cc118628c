// The netstring datagram Heartbeat 3.0.6 puts on the network (heartbeat.md §2):
//   "###\n" <LEN:(t)NAME=VALUE,>... "%%%\n" <LEN:INDEX HEX,>
// Parsing (into views, no allocation) and encoding. The trailer's digest is the
// authenticator's business; this file only frames it. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "wire/frame.h"
#include "wire/message.h"
#include "wire/reject_reason.h"

namespace hbd::wire {

inline constexpr std::string_view kNetstringBegin = "###\n";
inline constexpr std::string_view kNetstringEnd = "%%%\n";

// Parses a datagram that starts with "###\n". Requires the trailer netstring (else kNoDigest);
// tolerates one NUL byte after it, rejects anything else after it (kTrailingGarbage).
std::optional<RejectReason> ParseNetstringFrame(std::string_view datagram, const Limits& limits,
                                                Frame& out);

// "###\n" + one netstring per field + "%%%\n": the bytes the trailer signs.
std::string EncodeNetstringBody(const Message& message);

// One netstring: "LEN:payload,".
std::string EncodeNetstring(std::string_view payload);

}  // namespace hbd::wire
