#include "util/rate_limiter.h"

#include <gtest/gtest.h>

namespace hbd {
namespace {

TEST(RateLimiter, BurstThenSuppressThenReportCount) {
  RateLimiter limiter(std::chrono::seconds(10), 3);
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(limiter.Check("bad-auth", FakeTime(i)).allow);
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(limiter.Check("bad-auth", FakeTime(100 + i)).allow);
  auto d = limiter.Check("bad-auth", FakeTime(10000));
  EXPECT_TRUE(d.allow);
  EXPECT_EQ(d.suppressed_before, 5u);
  EXPECT_EQ(limiter.Check("bad-auth", FakeTime(10001)).suppressed_before, 0u);
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter limiter(std::chrono::seconds(1), 1);
  EXPECT_TRUE(limiter.Check("a", FakeTime(0)).allow);
  EXPECT_FALSE(limiter.Check("a", FakeTime(1)).allow);
  EXPECT_TRUE(limiter.Check("b", FakeTime(1)).allow);
}

TEST(RateLimiter, ClockGoingBackwardsOpensANewWindow) {
  RateLimiter limiter(std::chrono::seconds(10), 1);
  EXPECT_TRUE(limiter.Check("a", FakeTime(5000)).allow);
  EXPECT_FALSE(limiter.Check("a", FakeTime(5001)).allow);
  EXPECT_TRUE(limiter.Check("a", FakeTime(1000)).allow);
}

}  // namespace
}  // namespace hbd
