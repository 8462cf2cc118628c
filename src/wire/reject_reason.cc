#include "wire/reject_reason.h"

#include <ostream>

namespace hbd::wire {

const char* ToString(RejectReason reason) {
  switch (reason) {
    case RejectReason::kTooShort:
      return "too-short";
    case RejectReason::kOversize:
      return "oversize";
    case RejectReason::kBadMagic:
      return "bad-magic";
    case RejectReason::kMalformedNetstring:
      return "malformed-netstring";
    case RejectReason::kMalformedField:
      return "malformed-field";
    case RejectReason::kTooManyFields:
      return "too-many-fields";
    case RejectReason::kFieldNameTooLong:
      return "field-name-too-long";
    case RejectReason::kTrailingGarbage:
      return "trailing-garbage";
    case RejectReason::kNoDigest:
      return "no-digest";
    case RejectReason::kBadDigestFormat:
      return "bad-digest-format";
    case RejectReason::kUnknownKeyIndex:
      return "unknown-key-index";
    case RejectReason::kBadDigest:
      return "bad-digest";
    case RejectReason::kNoSource:
      return "no-source";
    case RejectReason::kUnknownSource:
      return "unknown-source";
    case RejectReason::kBadSequence:
      return "bad-sequence";
    case RejectReason::kBadGeneration:
      return "bad-generation";
    case RejectReason::kOldGeneration:
      return "old-generation";
    case RejectReason::kDuplicate:
      return "duplicate";
    case RejectReason::kReplay:
      return "replay";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, RejectReason reason) {
  return out << ToString(reason);
}

}  // namespace hbd::wire
