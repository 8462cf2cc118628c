#include "daemon/peer_digests.h"

#include <gtest/gtest.h>

namespace hbd::daemon {
namespace {

TEST(PeerDigests, AMismatchIsLoggedOncePerChangeAndItsEndToo) {
  PeerDigests d("aaa");
  EXPECT_FALSE(d.OnPeer("node2", "aaa").has_value());
  EXPECT_FALSE(d.Mismatch("node2"));
  auto line = d.OnPeer("node2", "bbb");
  ASSERT_TRUE(line.has_value());
  EXPECT_TRUE(line->warning);
  EXPECT_NE(line->text.find("differs from node2"), std::string::npos) << line->text;
  EXPECT_TRUE(d.Mismatch("node2"));
  EXPECT_FALSE(d.OnPeer("node2", "bbb").has_value());  // every status message: no new line
  line = d.OnPeer("node2", "ccc");                     // a new difference is news
  ASSERT_TRUE(line.has_value());
  EXPECT_TRUE(line->warning);
  line = d.OnPeer("node2", "aaa");
  ASSERT_TRUE(line.has_value());
  EXPECT_FALSE(line->warning);
  EXPECT_FALSE(d.Mismatch("node2"));
  EXPECT_EQ(d.Of("node2"), "aaa");
}

TEST(PeerDigests, OurReloadComparesEveryKnownPeerAgain) {
  PeerDigests d("aaa");
  d.OnPeer("node2", "aaa");
  d.OnPeer("node3", "bbb");
  auto lines = d.SetOurs("bbb");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].warning);  // node2 now differs
  EXPECT_NE(lines[0].text.find("node2"), std::string::npos);
  EXPECT_FALSE(lines[1].warning);  // node3 agrees now
  EXPECT_TRUE(d.Mismatch("node2"));
  EXPECT_FALSE(d.Mismatch("node3"));
  d.Forget("node2");
  EXPECT_FALSE(d.Mismatch("node2"));
  EXPECT_FALSE(d.Of("node2").has_value());
}

}  // namespace
}  // namespace hbd::daemon
