#include "membership/membership_listener.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "membership/liveness_tracker.h"

namespace hbd::membership {
namespace {

using ::testing::InSequence;

class MockListener : public MembershipListener {
 public:
  MOCK_METHOD(void, OnNodeStatusChanged, (const std::string&, NodeStatus, NodeStatus, Reason),
              (override));
  MOCK_METHOD(void, OnLinkStatusChanged, (const std::string&, const std::string&, LinkStatus),
              (override));
  MOCK_METHOD(void, OnPingStatusChanged, (const std::string&, NodeStatus, NodeStatus), (override));
  MOCK_METHOD(void, OnLateHeartbeat, (const std::string&, Millis), (override));
  MOCK_METHOD(void, OnCommUp, (), (override));
  MOCK_METHOD(void, OnLateHeartbeatArrived, (const std::string&, Millis), (override));
  MOCK_METHOD(void, OnIgnoredInput, (const std::string&), (override));
};

TEST(MembershipListener, DeliversTrackerEventsInOrder) {
  TrackerSetup setup;
  setup.local_node = "a";
  setup.nodes = {"a", "b"};
  setup.links = {"eth0"};
  config::PingTarget ping;
  ping.name = "192.0.2.1";
  ping.addresses = {"192.0.2.1"};
  setup.ping_targets = {ping};
  setup.timings.deadtime = Millis(10000);  // warntime 5 s, initdead 10 s, deadping 10 s
  LivenessTracker tracker(setup, FakeTime(0));
  MockListener listener;
  {
    InSequence in_order;
    EXPECT_CALL(listener, OnLinkStatusChanged("b", "eth0", LinkStatus::kUp));
    EXPECT_CALL(listener,
                OnNodeStatusChanged("b", NodeStatus::kInit, NodeStatus::kUp, Reason::kHeard));
    EXPECT_CALL(listener, OnPingStatusChanged("192.0.2.1", NodeStatus::kInit, NodeStatus::kPing));
    EXPECT_CALL(listener,
                OnNodeStatusChanged("a", NodeStatus::kUp, NodeStatus::kActive, Reason::kCommUp));
    EXPECT_CALL(listener, OnCommUp());
    EXPECT_CALL(listener, OnLateHeartbeat("b", Millis(5000)));
    EXPECT_CALL(listener, OnLateHeartbeatArrived("b", Millis(6000)));
    EXPECT_CALL(listener, OnIgnoredInput("packet from unknown node 'x'"));
    EXPECT_CALL(listener, OnPingStatusChanged("192.0.2.1", NodeStatus::kPing, NodeStatus::kDead));
    EXPECT_CALL(listener, OnLinkStatusChanged("b", "eth0", LinkStatus::kDead));
    EXPECT_CALL(listener,
                OnNodeStatusChanged("b", NodeStatus::kUp, NodeStatus::kDead, Reason::kTimeout));
  }
  Packet p;
  p.node = "b";
  p.link = "eth0";
  p.status = "up";
  Deliver(tracker.OnPacket(FakeTime(0), p), listener);
  Deliver(tracker.OnPingReply(FakeTime(0), "192.0.2.1"), listener);
  Deliver(tracker.Tick(FakeTime(5000)), listener);
  Deliver(tracker.OnPacket(FakeTime(6000), p), listener);
  p.node = "x";
  Deliver(tracker.OnPacket(FakeTime(6000), p), listener);
  Deliver(tracker.Tick(FakeTime(10000)), listener);
  Deliver(tracker.Tick(FakeTime(16000)), listener);
}

}  // namespace
}  // namespace hbd::membership
