#include "config/suggest.h"

#include <gtest/gtest.h>

namespace hbd::config {
namespace {

TEST(EditDistance, Basics) {
  EXPECT_EQ(EditDistance("keepalive", "keepalive"), 0u);
  EXPECT_EQ(EditDistance("keepalve", "keepalive"), 1u);
  EXPECT_EQ(EditDistance("DeadTime", "deadtime"), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("prot", "port"), 1u);  // a swap of neighbours is one edit
}

TEST(ClosestMatch, SuggestsOnlyLikelyTypos) {
  std::vector<std::string> words = {"keepalive", "deadtime", "warntime", "initdead"};
  EXPECT_EQ(ClosestMatch("keepalve", words), "keepalive");
  EXPECT_EQ(ClosestMatch("deadtim", words), "deadtime");
  EXPECT_EQ(ClosestMatch("frobnicate", words), "");
  EXPECT_EQ(ClosestMatch("x", {}), "");
  EXPECT_EQ(ClosestMatch("initdaed", words), "initdead");
  EXPECT_EQ(ClosestMatch("colour", words), "");
}

}  // namespace
}  // namespace hbd::config
