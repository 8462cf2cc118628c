// The per-source-node replay and duplicate filter: remembers the newest generation (hg) heard
// from one node and, within it, which of the last kWindow sequence numbers were seen, as a
// bitmap. Messages arrive on every medium, so the same seq arriving twice is normal (kDuplicate);
// a seq older than the window is kReplay; a lower generation is kOldGeneration; a higher one
// means the peer restarted and resets the window. Pure, no clock; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "wire/reject_reason.h"

namespace hbd::wire {

class ReplayWindow {
 public:
  static constexpr uint64_t kWindow = 256;

  struct Verdict {
    std::optional<RejectReason> reject;  // kOldGeneration, kDuplicate or kReplay
    bool new_generation = false;         // accepted and hg was higher than before (a restart)
  };

  // Judges (generation, seq) and, when accepted, records it. seq must be > 0.
  Verdict Accept(uint64_t generation, uint64_t seq);
  // The same judgement without recording anything.
  Verdict Check(uint64_t generation, uint64_t seq) const;

  // For messages without seq (the NS_* types): only refuses an older generation; records nothing.
  std::optional<RejectReason> CheckGeneration(uint64_t generation) const;

  bool empty() const { return !started_; }
  uint64_t generation() const { return generation_; }
  uint64_t highest_seq() const { return highest_; }

 private:
  static constexpr size_t kWords = kWindow / 64;
  bool Test(uint64_t seq) const;
  void Mark(uint64_t seq);
  void Reset(uint64_t generation, uint64_t seq);
  void Advance(uint64_t seq);

  bool started_ = false;
  uint64_t generation_ = 0;
  uint64_t highest_ = 0;
  // Bit (seq % kWindow) is set when seq in (highest_ - kWindow, highest_] was seen.
  std::array<uint64_t, kWords> seen_{};
};

}  // namespace hbd::wire
