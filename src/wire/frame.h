// A parsed datagram before it becomes a Message: field views into the received bytes plus what
// the authenticator needs (the signed bytes and the digest token). Parsing into a Frame does no
// allocation once the caller's Frame has grown to its working size, so junk is refused cheaply;
// the views are valid only while the datagram's bytes are. Also the format auto-detection and
// the Frame -> Message conversion. Pure; a Frame is a plain value, not thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "wire/message.h"
#include "wire/reject_reason.h"

namespace hbd::wire {

// Cheap bounds checked before anything else.
struct Limits {
  size_t max_datagram = 64 * 1024;  // bytes; a bigger datagram is kOversize
  size_t max_fields = 256;
  size_t max_name = 256;  // bytes in a field name
};

enum class WireFormat { kNetstring, kClassic };

// One field as it sits in the datagram.
struct FieldView {
  std::string_view name;
  FieldType type = FieldType::kString;
  // Netstring: the raw value. Classic: the value text as written (0x13 for newline, base64 for
  // binary); FrameToMessage turns it into bytes.
  std::string_view value;
  // Classic only: the whole line including its '\n', which is what the auth field signs.
  std::string_view line;
};

struct Frame {
  WireFormat format = WireFormat::kNetstring;
  std::vector<FieldView> fields;
  // Netstring: every byte from "###\n" through "%%%\n" (what the trailer signs). Classic: empty.
  std::string_view signed_bytes;
  // Netstring: the trailer netstring's payload "<index> <hex>". Classic: empty.
  std::string_view trailer;

  // The first field with this name, or null.
  const FieldView* Find(std::string_view name) const;
  void Clear();
};

// Picks the format from the first four bytes and parses. On error `out` holds garbage.
std::optional<RejectReason> ParseFrame(std::string_view datagram, const Limits& limits, Frame& out);

// Copies the frame into a Message (decoding classic escapes and base64). Fails only on a classic
// binary field whose base64 is invalid (kMalformedField).
std::optional<RejectReason> FrameToMessage(const Frame& frame, Message& out);

// ParseFrame + FrameToMessage, for callers that do not need the frame.
std::optional<RejectReason> DecodeMessage(std::string_view datagram, Message& out,
                                          const Limits& limits = Limits());

}  // namespace hbd::wire
