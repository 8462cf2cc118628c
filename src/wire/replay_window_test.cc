#include "wire/replay_window.h"

#include <gtest/gtest.h>

namespace hbd::wire {
namespace {

TEST(WireReplayWindow, InOrderThenDuplicate) {
  ReplayWindow w;
  EXPECT_TRUE(w.empty());
  auto first = w.Accept(5, 1);
  EXPECT_FALSE(first.reject);
  EXPECT_FALSE(first.new_generation);  // first contact is not a restart
  EXPECT_FALSE(w.Accept(5, 2).reject);
  EXPECT_EQ(w.Accept(5, 2).reject, RejectReason::kDuplicate);  // same seq on another medium
  EXPECT_EQ(w.Accept(5, 1).reject, RejectReason::kDuplicate);
  EXPECT_EQ(w.highest_seq(), 2u);
}

TEST(WireReplayWindow, GapsFillOnceAndLateOnesAreDuplicates) {
  ReplayWindow w;
  w.Accept(1, 10);
  EXPECT_FALSE(w.Accept(1, 14).reject);
  EXPECT_FALSE(w.Accept(1, 12).reject);  // retransmitted / late
  EXPECT_EQ(w.Accept(1, 12).reject, RejectReason::kDuplicate);
  EXPECT_FALSE(w.Accept(1, 11).reject);
  EXPECT_FALSE(w.Accept(1, 13).reject);
  EXPECT_EQ(w.Accept(1, 14).reject, RejectReason::kDuplicate);
}

TEST(WireReplayWindow, OlderThanTheWindowIsAReplay) {
  ReplayWindow w;
  w.Accept(1, 1);
  EXPECT_FALSE(w.Accept(1, 1000).reject);
  EXPECT_EQ(w.Accept(1, 1000 - ReplayWindow::kWindow).reject, RejectReason::kReplay);
  EXPECT_FALSE(w.Accept(1, 1000 - ReplayWindow::kWindow + 1).reject);  // oldest in the window
  EXPECT_EQ(w.Accept(1, 1).reject, RejectReason::kReplay);
}

TEST(WireReplayWindow, BitsAreClearedWhenTheWindowSlides) {
  ReplayWindow w;
  for (uint64_t s = 1; s <= 300; ++s)
    ASSERT_FALSE(w.Accept(1, s).reject) << s;
  // 300 + 256 reuses the bit of 300; it must read as unseen.
  EXPECT_FALSE(w.Accept(1, 300 + ReplayWindow::kWindow).reject);
  EXPECT_FALSE(w.Accept(1, 301).reject);
  EXPECT_EQ(w.Accept(1, 300).reject, RejectReason::kReplay);
  // A big jump clears everything but the new seq.
  EXPECT_FALSE(w.Accept(1, 100000).reject);
  EXPECT_FALSE(w.Accept(1, 99999).reject);
  EXPECT_EQ(w.Accept(1, 100000).reject, RejectReason::kDuplicate);
}

TEST(WireReplayWindow, GenerationsRestartAndOldOnesAreRefused) {
  ReplayWindow w;
  w.Accept(7, 500);
  EXPECT_EQ(w.Accept(6, 501).reject, RejectReason::kOldGeneration);
  auto restart = w.Accept(8, 1);
  EXPECT_FALSE(restart.reject);
  EXPECT_TRUE(restart.new_generation);
  EXPECT_EQ(w.generation(), 8u);
  EXPECT_EQ(w.Accept(8, 1).reject, RejectReason::kDuplicate);
  EXPECT_FALSE(w.Accept(8, 2).reject);
  EXPECT_EQ(w.Accept(7, 502).reject, RejectReason::kOldGeneration);
  EXPECT_EQ(w.CheckGeneration(7), RejectReason::kOldGeneration);
  EXPECT_EQ(w.CheckGeneration(8), std::nullopt);
  EXPECT_EQ(ReplayWindow().CheckGeneration(0), std::nullopt);
}

TEST(WireReplayWindow, CheckJudgesWithoutRecording) {
  ReplayWindow w;
  EXPECT_FALSE(w.Check(3, 1).reject);
  EXPECT_TRUE(w.empty());
  w.Accept(3, 1);
  EXPECT_FALSE(w.Check(3, 2).reject);
  EXPECT_FALSE(w.Check(3, 2).reject);  // still unseen
  EXPECT_EQ(w.Check(3, 1).reject, RejectReason::kDuplicate);
  EXPECT_EQ(w.Check(2, 9).reject, RejectReason::kOldGeneration);
  EXPECT_TRUE(w.Check(4, 1).new_generation);
  EXPECT_EQ(w.generation(), 3u);
  EXPECT_EQ(w.highest_seq(), 1u);
}

}  // namespace
}  // namespace hbd::wire
