// Heartbeat's classic ("nvpair") text form (heartbeat-protocol.md §2.2):
//   ">>>\n" [(t)]NAME=VALUE\n ... "<<<\n" and, on UDP, a trailing NUL byte.
// String values carry newlines as byte 0x13; binary values are base64. The same line format,
// without the >>> / <<< lines and without the `auth` field, is what the classic `auth` field
// signs. Parsing (into views, no allocation) and encoding. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "wire/frame.h"
#include "wire/message.h"
#include "wire/reject_reason.h"

namespace hbd::wire {

inline constexpr std::string_view kClassicBegin = ">>>\n";
inline constexpr std::string_view kClassicEnd = "<<<\n";
inline constexpr char kClassicNewline = '\x13';

// Parses a datagram that starts with ">>>\n". Empty lines are skipped; one NUL after "<<<\n" is
// allowed, anything else after it is kTrailingGarbage.
std::optional<RejectReason> ParseClassicFrame(std::string_view datagram, const Limits& limits,
                                              Frame& out);

// The classic datagram: ">>>\n" lines "<<<\n", plus the NUL Heartbeat sends on UDP if asked.
// Types other than string and binary are written with their raw value (hbd never sends them).
std::string EncodeClassic(const Message& message, bool trailing_nul = true);

// The lines of every field but `auth`, in order: the bytes the classic auth field signs.
std::string ClassicSignedText(const Message& message);

// One field as a classic line, including '\n'.
void AppendClassicLine(const Field& field, std::string& out);

// 0x13 -> '\n'.
std::string UnescapeClassicString(std::string_view text);

}  // namespace hbd::wire
