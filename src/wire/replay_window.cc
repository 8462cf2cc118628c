#include "wire/replay_window.h"

namespace hbd::wire {

bool ReplayWindow::Test(uint64_t seq) const {
  uint64_t bit = seq % kWindow;
  return (seen_[bit / 64] >> (bit % 64)) & 1;
}

void ReplayWindow::Mark(uint64_t seq) {
  uint64_t bit = seq % kWindow;
  seen_[bit / 64] |= uint64_t{1} << (bit % 64);
}

void ReplayWindow::Reset(uint64_t generation, uint64_t seq) {
  started_ = true;
  generation_ = generation;
  highest_ = seq;
  seen_.fill(0);
  Mark(seq);
}

void ReplayWindow::Advance(uint64_t seq) {
  // Clear the bits of the seqs that enter the window unseen: highest_+1 .. seq-1.
  if (seq - highest_ >= kWindow) {
    seen_.fill(0);
  } else {
    for (uint64_t s = highest_ + 1; s < seq; ++s) {
      uint64_t bit = s % kWindow;
      seen_[bit / 64] &= ~(uint64_t{1} << (bit % 64));
    }
    uint64_t bit = seq % kWindow;
    seen_[bit / 64] &= ~(uint64_t{1} << (bit % 64));
  }
  highest_ = seq;
  Mark(seq);
}

ReplayWindow::Verdict ReplayWindow::Check(uint64_t generation, uint64_t seq) const {
  if (!started_ || generation > generation_)
    return Verdict{std::nullopt, started_};
  if (generation < generation_)
    return Verdict{RejectReason::kOldGeneration, false};
  if (seq > highest_)
    return Verdict{};
  if (highest_ - seq >= kWindow)
    return Verdict{RejectReason::kReplay, false};
  if (Test(seq))
    return Verdict{RejectReason::kDuplicate, false};
  return Verdict{};
}

ReplayWindow::Verdict ReplayWindow::Accept(uint64_t generation, uint64_t seq) {
  Verdict verdict = Check(generation, seq);
  if (verdict.reject)
    return verdict;
  if (!started_ || generation > generation_) {
    Reset(generation, seq);
  } else if (seq > highest_) {
    Advance(seq);
  } else {
    Mark(seq);  // late or retransmitted, inside the window
  }
  return verdict;
}

std::optional<RejectReason> ReplayWindow::CheckGeneration(uint64_t generation) const {
  if (started_ && generation < generation_)
    return RejectReason::kOldGeneration;
  return std::nullopt;
}

}  // namespace hbd::wire
