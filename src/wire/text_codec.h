// Small value encodings used on the wire: base64 for binary fields in the classic form, and the
// lower-case hex numbers of seq, hg, ts, dt. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hbd::wire {

// Standard base64 (RFC 4648 alphabet, '=' padding, no line breaks), as Heartbeat writes it.
std::string Base64Encode(std::string_view bytes);
// Strict decode: length a multiple of 4, padding only at the end; nullopt otherwise.
std::optional<std::string> Base64Decode(std::string_view text);

// "2a" -> 42. Accepts 1..16 hex digits of either case, nothing else (no 0x, no sign, no spaces).
std::optional<uint64_t> ParseHex(std::string_view text);
// 42 -> "2a" (lower case, no leading zeros; 0 -> "0").
std::string FormatHex(uint64_t value);

}  // namespace hbd::wire
