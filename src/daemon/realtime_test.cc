#include "daemon/realtime.h"

#include <gtest/gtest.h>

namespace hbd::daemon {
namespace {

TEST(RealtimePriority, UnsetOrNonPositiveGivesTheMinimumAsHeartbeatDoes) {
  EXPECT_EQ(ChooseRealtimePriority(std::nullopt, 1, 99), 1);
  EXPECT_EQ(ChooseRealtimePriority(0, 1, 99), 1);
  EXPECT_EQ(ChooseRealtimePriority(-5, 1, 99), 1);
}

TEST(RealtimePriority, InRangeIsKeptAndAboveMaxIsClamped) {
  EXPECT_EQ(ChooseRealtimePriority(50, 1, 99), 50);
  EXPECT_EQ(ChooseRealtimePriority(99, 1, 99), 99);
  EXPECT_EQ(ChooseRealtimePriority(150, 1, 99), 99);
  EXPECT_EQ(ChooseRealtimePriority(3, 5, 10), 5);
}

}  // namespace
}  // namespace hbd::daemon
