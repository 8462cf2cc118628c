// Why an incoming datagram was refused, as one enum shared by the codecs, the authenticator, the
// replay window and the packet verifier, so the shell can count and log each reason. Pure;
// thread-safe.
#pragma once

#include <cstddef>
#include <iosfwd>

namespace hbd::wire {

enum class RejectReason {
  // Framing (cheap checks, no allocation).
  kTooShort,            // fewer bytes than the smallest possible frame
  kOversize,            // datagram larger than Limits::max_datagram
  kBadMagic,            // does not start with "###\n" (netstring) or ">>>\n" (classic)
  kMalformedNetstring,  // bad length prefix, missing ':' or ',', length past the end
  kMalformedField,      // field without "(d)" type, without '=', empty name, bad base64
  kTooManyFields,       // more than Limits::max_fields
  kFieldNameTooLong,    // a field name longer than Limits::max_name
  kTrailingGarbage,     // bytes after the end of the frame
  // Authentication.
  kNoDigest,         // no trailer netstring / no auth field
  kBadDigestFormat,  // token not "<index> <hex>"
  kUnknownKeyIndex,  // index not listed in authkeys
  kBadDigest,        // digest mismatch
  // Origin.
  kNoSource,       // no `src` field
  kUnknownSource,  // `src` not a configured node and autojoin is none
  // Sequencing (replay window).
  kBadSequence,    // seq missing, unparsable or zero on a message that needs one
  kBadGeneration,  // hg unparsable
  kOldGeneration,  // hg lower than the newest seen from that node
  kDuplicate,      // seq already seen in the current generation (e.g. on another medium)
  kReplay,         // seq older than the window
};

inline constexpr size_t kRejectReasonCount = static_cast<size_t>(RejectReason::kReplay) + 1;

inline constexpr size_t Index(RejectReason reason) {
  return static_cast<size_t>(reason);
}

// A short, stable, lower-case name for logs and counters: "too-short", "bad-digest", ...
const char* ToString(RejectReason reason);
std::ostream& operator<<(std::ostream& out, RejectReason reason);

}  // namespace hbd::wire
