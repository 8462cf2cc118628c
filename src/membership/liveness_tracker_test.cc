#include "membership/liveness_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hbd::membership {

void PrintTo(const Event& event, std::ostream* os) {
  *os << ToString(event);
}

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

TimePoint T(int64_t ms) {
  return FakeTime(ms);
}

// keepalive 1 s, deadtime 10 s, warntime 5 s, initdead 20 s, deadping 8 s.
config::Timings TestTimings() {
  config::Timings t;
  t.keepalive = Millis(1000);
  t.deadtime = Millis(10000);
  t.warntime = Millis(5000);
  t.initdead = Millis(20000);
  t.deadping = Millis(8000);
  return t;
}

TrackerSetup Cluster(std::vector<std::string> nodes, std::vector<config::PingTarget> pings = {}) {
  TrackerSetup setup;
  setup.local_node = "a";
  setup.nodes = std::move(nodes);
  setup.links = {"eth0", "eth1"};
  setup.ping_targets = std::move(pings);
  setup.timings = TestTimings();
  return setup;
}

Packet Status(const std::string& node, const std::string& link, const std::string& st = "active",
              std::optional<Millis> dt = std::nullopt) {
  Packet p;
  p.node = node;
  p.link = link;
  p.status = st;
  p.deadtime = dt;
  return p;
}

Packet Copy(const std::string& node, const std::string& link) {
  Packet p = Status(node, link);
  p.first_copy = false;
  return p;
}

Packet Other(const std::string& node, const std::string& link) {
  Packet p;
  p.node = node;
  p.link = link;
  return p;
}

std::vector<std::string> Describe(const Events& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    out.push_back(ToString(e));
  return out;
}

// Every peer sends one status over eth0 and its copy over eth1 at `ms`.
Events Beat(LivenessTracker& tracker, int64_t ms, std::vector<std::string> peers) {
  Events all;
  for (const auto& peer : peers) {
    for (auto& e : tracker.OnPacket(T(ms), Status(peer, "eth0")))
      all.push_back(e);
    for (auto& e : tracker.OnPacket(T(ms), Copy(peer, "eth1")))
      all.push_back(e);
  }
  return all;
}

config::PingTarget PingNode(const std::string& address) {
  config::PingTarget t;
  t.name = address;
  t.addresses = {address};
  return t;
}

config::PingTarget PingGroup(const std::string& name, std::vector<std::string> addresses) {
  config::PingTarget t;
  t.name = name;
  t.addresses = std::move(addresses);
  t.is_group = true;
  return t;
}

TEST(NodeStatus, ParsesWhatLivePeersSend) {
  EXPECT_EQ(ParsePeerStatus("active"), NodeStatus::kActive);
  EXPECT_EQ(ParsePeerStatus("UP"), NodeStatus::kUp);
  EXPECT_EQ(ParsePeerStatus("init"), NodeStatus::kInit);
  EXPECT_EQ(ParsePeerStatus("dead"), std::nullopt);
  EXPECT_EQ(ParsePeerStatus("ping"), std::nullopt);
  EXPECT_EQ(ParsePeerStatus(""), std::nullopt);
  EXPECT_STREQ(ToString(NodeStatus::kPing), "ping");
  EXPECT_STREQ(ToString(NodeType::kPing), "ping");
  EXPECT_STREQ(ToString(LinkStatus::kDead), "dead");
}

TEST(LivenessTracker, StartsWithLocalUpAndPeersInit) {
  LivenessTracker tracker(Cluster({"a", "b"}), T(0));
  EXPECT_EQ(tracker.LocalStatus(), NodeStatus::kUp);
  EXPECT_FALSE(tracker.CommUp());
  auto b = tracker.Node("b");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->status, NodeStatus::kInit);
  EXPECT_EQ(b->type, NodeType::kNormal);
  EXPECT_FALSE(b->last_packet);
  ASSERT_EQ(b->links.size(), 2u);
  EXPECT_EQ(b->links[0].status, LinkStatus::kDead);
  EXPECT_EQ(tracker.NextDeadline(), T(20000));  // initdead for a node never heard
  EXPECT_EQ(tracker.TimeoutFor("b"), Millis(20000));
}

TEST(LivenessTracker, InitdeadExpiresForANodeNeverHeardThenCommUp) {
  LivenessTracker tracker(Cluster({"a", "b"}), T(0));
  EXPECT_THAT(tracker.Tick(T(19999)), IsEmpty());
  EXPECT_THAT(
      Describe(tracker.Tick(T(20000))),
      ElementsAre("node b: init -> dead (timeout)", "node a: up -> active (comm up)", "comm up"));
  EXPECT_TRUE(tracker.CommUp());
  EXPECT_EQ(tracker.LocalStatus(), NodeStatus::kActive);
  EXPECT_THAT(tracker.Tick(T(100000)), IsEmpty());
  EXPECT_EQ(tracker.NextDeadline(), std::nullopt);
}

TEST(LivenessTracker, CommUpOnceWhenEveryNodeHeard) {
  LivenessTracker tracker(Cluster({"a", "b", "c"}), T(0));
  EXPECT_THAT(Describe(tracker.OnPacket(T(300), Status("b", "eth0", "up"))),
              ElementsAre("link b:eth0 up", "node b: init -> up (heard)"));
  EXPECT_FALSE(tracker.CommUp());
  EXPECT_THAT(Describe(tracker.OnPacket(T(700), Status("c", "eth1", "up"))),
              ElementsAre("link c:eth1 up", "node c: init -> up (heard)",
                          "node a: up -> active (comm up)", "comm up"));
  // Never again, whatever happens next.
  for (int64_t t = 1000; t < 60000; t += 1000) {
    for (const auto& e : Beat(tracker, t, {"b", "c"}))
      EXPECT_NE(e.kind, EventKind::kCommUp);
    for (const auto& e : tracker.Tick(T(t + 1)))
      EXPECT_NE(e.kind, EventKind::kCommUp);
  }
}

TEST(LivenessTracker, CommUpWhenOneHeardAndTheOtherDead) {
  LivenessTracker tracker(Cluster({"a", "b", "c"}), T(0));
  for (int64_t t = 0; t < 20000; t += 1000)
    Beat(tracker, t, {"b"});
  EXPECT_FALSE(tracker.CommUp());
  EXPECT_THAT(
      Describe(tracker.Tick(T(20000))),
      ElementsAre("node c: init -> dead (timeout)", "node a: up -> active (comm up)", "comm up"));
}

TEST(LivenessTracker, InitdeadAppliesToHeardNodesUntilCommUp) {
  LivenessTracker tracker(Cluster({"a", "b", "c"}), T(0));
  tracker.OnPacket(T(0), Status("b", "eth0", "up"));
  // 15 s of silence is past deadtime (10 s) but not initdead (20 s); warntime still applies.
  EXPECT_THAT(Describe(tracker.Tick(T(15000))),
              ElementsAre("late heartbeat: node b silent for 15000 ms"));
  EXPECT_EQ(tracker.Node("b")->status, NodeStatus::kUp);
  EXPECT_THAT(
      Describe(tracker.Tick(T(20000))),
      ElementsAre("link b:eth0 dead", "node b: up -> dead (timeout)",
                  "node c: init -> dead (timeout)", "node a: up -> active (comm up)", "comm up"));
}

TEST(LivenessTracker, CommUpWaitsForInitdeadWithAutojoin) {
  TrackerSetup setup = Cluster({"a", "b"});
  setup.comm_up_waits_for_initdead = true;
  LivenessTracker tracker(setup, T(0));
  tracker.OnPacket(T(10), Status("b", "eth0", "up"));
  EXPECT_FALSE(tracker.CommUp());
  EXPECT_EQ(tracker.NextDeadline(), T(5010));  // warntime first
  for (int64_t t = 1000; t < 20000; t += 1000)
    tracker.OnPacket(T(t), Status("b", "eth0", "up"));
  EXPECT_EQ(tracker.NextDeadline(), T(20000));  // comm-up at initdead
  EXPECT_THAT(tracker.Tick(T(19999)), IsEmpty());
  EXPECT_THAT(Describe(tracker.Tick(T(20000))),
              ElementsAre("node a: up -> active (comm up)", "comm up"));
}

TEST(LivenessTracker, SingleNodeClusterIsUpAtOnce) {
  LivenessTracker tracker(Cluster({"a"}), T(500));
  EXPECT_EQ(tracker.NextDeadline(), T(500));
  EXPECT_THAT(Describe(tracker.Tick(T(500))),
              ElementsAre("node a: up -> active (comm up)", "comm up"));
}

// Brings b and c up at 0 and comm up; returns the tracker with heartbeats fed until `until`.
LivenessTracker ThreeUp() {
  LivenessTracker tracker(Cluster({"a", "b", "c"}), T(0));
  Beat(tracker, 0, {"b", "c"});
  EXPECT_TRUE(tracker.CommUp());
  return tracker;
}

TEST(LivenessTracker, SilentNodeIsLateOnceThenDeadExactlyAtDeadtime) {
  LivenessTracker tracker = ThreeUp();
  for (int64_t t = 1000; t <= 10000; t += 1000)
    Beat(tracker, t, {"b", "c"});
  // From 10000 only c is fed; we tick every ms like a very eager shell.
  int late = 0;
  int64_t late_at = -1;
  for (int64_t t = 10001; t < 20000; ++t) {
    if (t % 1000 == 0) {
      EXPECT_THAT(Beat(tracker, t, {"c"}), IsEmpty());
    }
    for (const auto& e : tracker.Tick(T(t))) {
      ASSERT_EQ(e.kind, EventKind::kLateHeartbeat) << ToString(e);
      EXPECT_EQ(e.node, "b");
      EXPECT_EQ(e.interval, Millis(5000));
      ++late;
      late_at = t;
    }
  }
  EXPECT_EQ(late, 1);
  EXPECT_EQ(late_at, 15000);
  EXPECT_EQ(tracker.Node("b")->status, NodeStatus::kActive);
  EXPECT_EQ(tracker.NextDeadline(), T(20000));
  EXPECT_THAT(Describe(tracker.Tick(T(20000))), ElementsAre("link b:eth0 dead", "link b:eth1 dead",
                                                            "node b: active -> dead (timeout)"));
  EXPECT_EQ(tracker.Node("c")->status, NodeStatus::kActive);
  EXPECT_EQ(tracker.Node("c")->links[1].status, LinkStatus::kUp);
  EXPECT_EQ(tracker.Node("b")->last_packet, T(10000));
}

TEST(LivenessTracker, DeadlineHasMillisecondPrecision) {
  LivenessTracker tracker = ThreeUp();
  Beat(tracker, 1234, {"b", "c"});
  Beat(tracker, 9000, {"c"});
  Beat(tracker, 11200, {"c"});
  EXPECT_THAT(Describe(tracker.Tick(T(11233))),
              ElementsAre("late heartbeat: node b silent for 9999 ms"));
  EXPECT_THAT(tracker.Tick(FakeTime(11233) + std::chrono::microseconds(999)), IsEmpty());
  EXPECT_THAT(Describe(tracker.Tick(T(11234))), ElementsAre("link b:eth0 dead", "link b:eth1 dead",
                                                            "node b: active -> dead (timeout)"));
}

TEST(LivenessTracker, LateEpisodeEndsWhenHeardAndANewOneCanStart) {
  LivenessTracker tracker = ThreeUp();
  EXPECT_THAT(Describe(tracker.Tick(T(5000))),
              ElementsAre("late heartbeat: node b silent for 5000 ms",
                          "late heartbeat: node c silent for 5000 ms"));
  EXPECT_THAT(tracker.Tick(T(6000)), IsEmpty());
  EXPECT_THAT(Describe(Beat(tracker, 6500, {"b", "c"})),
              ElementsAre("late heartbeat: node b interval 6500 ms",
                          "late heartbeat: node c interval 6500 ms"));
  Beat(tracker, 7000, {"c"});
  EXPECT_THAT(Describe(tracker.Tick(T(11500))),
              ElementsAre("late heartbeat: node b silent for 5000 ms"));
}

TEST(LivenessTracker, StarvedScanTurnsAVeryLatePacketIntoAWarningNotADeath) {
  LivenessTracker tracker = ThreeUp();
  // No Tick for 25 s (our process was stalled); b's packet is processed first.
  EXPECT_THAT(Describe(tracker.OnPacket(T(25000), Status("b", "eth0"))),
              ElementsAre("late heartbeat: node b interval 25000 ms"));
  EXPECT_EQ(tracker.Node("b")->status, NodeStatus::kActive);
  EXPECT_THAT(Describe(tracker.Tick(T(25000))),
              ElementsAre("link b:eth1 dead", "link c:eth0 dead", "link c:eth1 dead",
                          "node c: active -> dead (timeout)"));
}

TEST(LivenessTracker, DeadNodeComesBackWithTheStatusItSends) {
  LivenessTracker tracker = ThreeUp();
  Beat(tracker, 10000, {"c"});
  tracker.Tick(T(10000));
  EXPECT_EQ(tracker.Node("b")->status, NodeStatus::kDead);
  EXPECT_THAT(Describe(tracker.OnPacket(T(12000), Status("b", "eth1", "up"))),
              ElementsAre("link b:eth1 up", "node b: dead -> up (heard)"));
  EXPECT_THAT(Describe(tracker.OnPacket(T(13000), Status("b", "eth1", "active"))),
              ElementsAre("node b: up -> active (heard)"));
  Beat(tracker, 13000, {"c"});
  EXPECT_EQ(tracker.NextDeadline(), T(18000));  // warntime from its last packet
}

TEST(LivenessTracker, OneSilentLinkIsALinkEventNotANodeDeath) {
  LivenessTracker tracker = ThreeUp();
  // b's eth1 cable is cut at 0: its packets only arrive on eth0 from now on.
  for (int64_t t = 1000; t <= 30000; t += 1000) {
    tracker.OnPacket(T(t), Status("b", "eth0"));
    Beat(tracker, t, {"c"});
    Events events = tracker.Tick(T(t));
    if (t == 10000) {
      EXPECT_THAT(Describe(events), ElementsAre("link b:eth1 dead"));
    } else {
      EXPECT_THAT(events, IsEmpty()) << t;
    }
  }
  EXPECT_EQ(tracker.Node("b")->status, NodeStatus::kActive);
  EXPECT_EQ(tracker.Node("b")->links[1].last_packet, T(0));
  // The cable is back: the next copy on eth1 brings the link up.
  EXPECT_THAT(Describe(tracker.OnPacket(T(30001), Copy("b", "eth1"))),
              ElementsAre("link b:eth1 up"));
}

TEST(LivenessTracker, CopiesKeepLinksUpButDoNotCountForTheNode) {
  LivenessTracker tracker = ThreeUp();
  Beat(tracker, 4000, {"c"});
  EXPECT_THAT(tracker.OnPacket(T(4000), Copy("b", "eth0")), IsEmpty());
  Beat(tracker, 9000, {"c"});
  EXPECT_EQ(tracker.Node("b")->last_packet, T(0));
  EXPECT_EQ(tracker.Node("b")->links[0].last_packet, T(4000));
  EXPECT_THAT(Describe(tracker.Tick(T(10000))),
              ElementsAre("link b:eth1 dead", "node b: active -> dead (timeout)"));
}

TEST(LivenessTracker, NonStatusPacketsKeepANodeAliveButCannotRaiseIt) {
  LivenessTracker tracker = ThreeUp();
  Beat(tracker, 8000, {"c"});
  EXPECT_THAT(Describe(tracker.OnPacket(T(8000), Other("b", "eth0"))),
              ElementsAre("late heartbeat: node b interval 8000 ms"));
  EXPECT_THAT(Describe(tracker.Tick(T(10000))), ElementsAre("link b:eth1 dead"));
  Beat(tracker, 16000, {"c"});
  tracker.Tick(T(18000));
  EXPECT_EQ(tracker.Node("b")->status, NodeStatus::kDead);
  EXPECT_THAT(Describe(tracker.OnPacket(T(19000), Other("b", "eth1"))),
              ElementsAre("link b:eth1 up"));
  EXPECT_EQ(tracker.Node("b")->status, NodeStatus::kDead);
}

TEST(LivenessTracker, AdvertisedDeadtimeIsUsedAfterCommUp) {
  LivenessTracker tracker(Cluster({"a", "b", "c"}), T(0));
  tracker.OnPacket(T(0), Status("b", "eth0", "up", Millis(25000)));
  EXPECT_EQ(tracker.TimeoutFor("b"), Millis(20000));  // initdead until comm-up
  tracker.OnPacket(T(0), Status("c", "eth0", "up", Millis(4000)));
  ASSERT_TRUE(tracker.CommUp());
  EXPECT_EQ(tracker.TimeoutFor("b"), Millis(25000));
  EXPECT_EQ(tracker.TimeoutFor("c"), Millis(4000));
  EXPECT_EQ(tracker.Node("c")->advertised_deadtime, Millis(4000));
  // c's own dt is shorter than our warntime: it dies at 4 s without a late warning.
  EXPECT_EQ(tracker.NextDeadline(), T(4000));
  EXPECT_THAT(Describe(tracker.Tick(T(4000))),
              ElementsAre("link c:eth0 dead", "node c: up -> dead (timeout)"));
  EXPECT_THAT(Describe(tracker.Tick(T(10000))),
              ElementsAre("late heartbeat: node b silent for 10000 ms"));
  EXPECT_THAT(tracker.Tick(T(24999)), IsEmpty());
  EXPECT_THAT(Describe(tracker.Tick(T(25000))),
              ElementsAre("link b:eth0 dead", "node b: up -> dead (timeout)"));
}

TEST(LivenessTracker, ShutdownIsDeathAtOnce) {
  LivenessTracker tracker = ThreeUp();
  EXPECT_THAT(Describe(tracker.OnNodeShutdown(T(3000), "b")),
              ElementsAre("node b: active -> dead (shutdown)"));
  EXPECT_THAT(tracker.OnNodeShutdown(T(3001), "b"), IsEmpty());
  // A straggling non-status packet over the other medium does not raise it again.
  EXPECT_THAT(tracker.OnPacket(T(3002), Other("b", "eth1")), IsEmpty());
  EXPECT_EQ(tracker.Node("b")->status, NodeStatus::kDead);
  // Its links time out on their own.
  Beat(tracker, 9000, {"c"});
  EXPECT_THAT(Describe(tracker.Tick(T(10000))), ElementsAre("link b:eth0 dead"));
  EXPECT_THAT(Describe(tracker.Tick(T(13002))), ElementsAre("link b:eth1 dead"));
  // It restarts.
  EXPECT_THAT(Describe(tracker.OnPacket(T(14000), Status("b", "eth0", "up"))),
              ElementsAre("link b:eth0 up", "node b: dead -> up (heard)"));
}

TEST(LivenessTracker, ShutdownBeforeCommUpCountsAsDead) {
  LivenessTracker tracker(Cluster({"a", "b", "c"}), T(0));
  tracker.OnPacket(T(0), Status("b", "eth0", "up"));
  EXPECT_THAT(
      Describe(tracker.OnNodeShutdown(T(100), "c")),
      ElementsAre("node c: init -> dead (shutdown)", "node a: up -> active (comm up)", "comm up"));
}

TEST(LivenessTracker, TimingsChangeAtOnce) {
  LivenessTracker tracker = ThreeUp();
  Beat(tracker, 5000, {"c"});
  Events late = tracker.Tick(T(5000));
  EXPECT_THAT(Describe(late), ElementsAre("late heartbeat: node b silent for 5000 ms"));
  config::Timings shorter = TestTimings();
  shorter.deadtime = Millis(4000);
  shorter.warntime = Millis(2000);
  EXPECT_THAT(
      Describe(tracker.SetTimings(T(5500), shorter)),
      ElementsAre("link b:eth0 dead", "link b:eth1 dead", "node b: active -> dead (timeout)"));
  EXPECT_EQ(tracker.timings().deadtime, Millis(4000));
  EXPECT_EQ(tracker.NextDeadline(), T(7000));  // c's new warntime
  // Longer timings postpone a death that was due.
  config::Timings longer = TestTimings();
  longer.deadtime = Millis(60000);
  longer.warntime = Millis(30000);
  EXPECT_THAT(tracker.SetTimings(T(7000), longer), IsEmpty());
  EXPECT_THAT(tracker.Tick(T(34999)), IsEmpty());
  EXPECT_THAT(Describe(tracker.Tick(T(35000))),
              ElementsAre("late heartbeat: node c silent for 30000 ms"));
  // Ping targets follow deadping, which defaults to the new deadtime.
  EXPECT_EQ(tracker.TimeoutFor("c"), Millis(60000));
}

TEST(LivenessTracker, PingNodeAndGroup) {
  LivenessTracker tracker(Cluster({"a", "b"}, {PingNode("192.0.2.1"),
                                               PingGroup("gw", {"198.51.100.1", "198.51.100.2"})}),
                          T(0));
  EXPECT_EQ(tracker.PingConnectivity(), 0);
  Beat(tracker, 0, {"b"});
  EXPECT_FALSE(tracker.CommUp());  // ping targets are nodes for comm-up too
  EXPECT_THAT(Describe(tracker.OnPingReply(T(100), "192.0.2.1")),
              ElementsAre("ping 192.0.2.1: init -> ping (heard)"));
  EXPECT_THAT(
      Describe(tracker.OnPingReply(T(200), "198.51.100.2")),
      ElementsAre("ping gw: init -> ping (heard)", "node a: up -> active (comm up)", "comm up"));
  EXPECT_EQ(tracker.PingConnectivity(), 2);
  EXPECT_EQ(tracker.TimeoutFor("gw"), Millis(8000));  // deadping after comm-up

  // Only 198.51.100.1 answers from now on: the group lives, the ping node dies at deadping.
  for (int64_t t = 1000; t <= 8000; t += 1000) {
    Beat(tracker, t, {"b"});
    tracker.OnPingReply(T(t), "198.51.100.1");
    Events events = tracker.Tick(T(t));
    if (t < 8000) {
      EXPECT_THAT(events, IsEmpty()) << t;
    }
  }
  EXPECT_THAT(Describe(tracker.Tick(T(8100))),
              ElementsAre("ping 192.0.2.1: ping -> dead (timeout)"));
  EXPECT_EQ(tracker.PingConnectivity(), 1);
  EXPECT_EQ(tracker.Node("gw")->status, NodeStatus::kPing);
  EXPECT_EQ(tracker.Node("gw")->type, NodeType::kPing);
  EXPECT_EQ(tracker.Node("gw")->last_packet, T(8000));
  // The group dies only when no member answers for deadping.
  for (int64_t t = 9000; t <= 15000; t += 1000)
    Beat(tracker, t, {"b"});
  EXPECT_THAT(tracker.Tick(T(15999)), IsEmpty());
  EXPECT_THAT(Describe(tracker.Tick(T(16000))), ElementsAre("ping gw: ping -> dead (timeout)"));
  EXPECT_EQ(tracker.PingConnectivity(), 0);
  EXPECT_THAT(Describe(tracker.OnPingReply(T(17000), "192.0.2.1")),
              ElementsAre("ping 192.0.2.1: dead -> ping (heard)"));
  // A group can be credited by its name (Heartbeat's ping_group replies carry it).
  EXPECT_THAT(Describe(tracker.OnPingReply(T(17000), "GW")),
              ElementsAre("ping gw: dead -> ping (heard)"));
  EXPECT_EQ(tracker.PingConnectivity(), 2);
}

TEST(LivenessTracker, UnansweredPingTargetUsesInitdeadBeforeCommUp) {
  LivenessTracker tracker(Cluster({"a", "b"}, {PingNode("192.0.2.7")}), T(0));
  for (int64_t t = 0; t < 20000; t += 1000)
    Beat(tracker, t, {"b"});
  EXPECT_THAT(tracker.Tick(T(19999)), IsEmpty());
  EXPECT_THAT(Describe(tracker.Tick(T(20000))),
              ElementsAre("ping 192.0.2.7: init -> dead (timeout)",
                          "node a: up -> active (comm up)", "comm up"));
}

TEST(LivenessTracker, PeerPingCountIsStoredAndForgottenAtDeath) {
  LivenessTracker tracker = ThreeUp();
  EXPECT_EQ(tracker.PeerPingCount("b"), std::nullopt);
  EXPECT_THAT(tracker.OnPeerPingCount("b", 3), IsEmpty());
  EXPECT_EQ(tracker.PeerPingCount("b"), 3);
  EXPECT_EQ(tracker.Node("b")->ping_count, 3);
  EXPECT_THAT(Describe(tracker.OnPeerPingCount("b", -1)),
              ElementsAre("ignored: ping count -1 from node 'b' that is not a live peer or is "
                          "negative"));
  EXPECT_EQ(tracker.PeerPingCount("b"), 3);
  tracker.OnNodeShutdown(T(10), "b");
  EXPECT_EQ(tracker.PeerPingCount("b"), std::nullopt);
}

TEST(LivenessTracker, BadInputIsReportedNotFatal) {
  LivenessTracker tracker = ThreeUp();
  EXPECT_THAT(Describe(tracker.OnPacket(T(1), Status("zed", "eth0"))),
              ElementsAre("ignored: packet from unknown node 'zed'"));
  EXPECT_THAT(Describe(tracker.OnPacket(T(1), Status("b", "wlan9"))),
              ElementsAre("ignored: packet from node b on unknown link 'wlan9'"));
  EXPECT_EQ(tracker.Node("b")->last_packet, T(1));  // still counts for the node
  EXPECT_THAT(Describe(tracker.OnPacket(T(2), Status("b", "eth0", "sleepy"))),
              ElementsAre("ignored: node b sent unusable status 'sleepy'"));
  EXPECT_EQ(tracker.Node("b")->status, NodeStatus::kActive);
  EXPECT_THAT(Describe(tracker.OnPacket(T(3), Status("b", "eth0", "active", Millis(0)))),
              ElementsAre("ignored: node b advertised deadtime 0 ms"));
  EXPECT_EQ(tracker.TimeoutFor("b"), Millis(10000));
  EXPECT_THAT(Describe(tracker.OnPingReply(T(4), "203.0.113.9")),
              ElementsAre("ignored: ping reply from unknown target '203.0.113.9'"));
  EXPECT_THAT(Describe(tracker.OnNodeShutdown(T(5), "a")),
              ElementsAre("ignored: shutdown of the local node 'a'"));
  EXPECT_THAT(Describe(tracker.OnNodeShutdown(T(5), "zed")),
              ElementsAre("ignored: shutdown of unknown node 'zed'"));
  EXPECT_EQ(tracker.Node("zed"), std::nullopt);
  EXPECT_EQ(tracker.TimeoutFor("zed"), std::nullopt);
}

TEST(LivenessTracker, NodeNamesAreCaseInsensitiveAndOwnPacketsAreOnlyRecorded) {
  LivenessTracker tracker = ThreeUp();
  EXPECT_THAT(tracker.OnPacket(T(100), Status("B", "eth0")), IsEmpty());
  EXPECT_EQ(tracker.Node("b")->last_packet, T(100));
  EXPECT_THAT(tracker.OnPacket(T(200), Status("a", "eth0", "up")), IsEmpty());
  EXPECT_EQ(tracker.LocalStatus(), NodeStatus::kActive);
  EXPECT_EQ(tracker.Node("a")->last_packet, T(200));
  EXPECT_TRUE(tracker.Node("a")->is_local);
}

TEST(LivenessTracker, SteppedBackTimeIsHarmless) {
  LivenessTracker tracker = ThreeUp();
  Beat(tracker, 50000, {"b", "c"});
  EXPECT_THAT(tracker.Tick(T(49000)), IsEmpty());
  EXPECT_THAT(tracker.Tick(T(-1000000)), IsEmpty());
  EXPECT_THAT(tracker.Tick(TimePoint::min()), IsEmpty());
  // A packet stamped in the past counts as arriving now (the latest time seen).
  tracker.OnPacket(T(1000), Status("b", "eth0"));
  EXPECT_EQ(tracker.Node("b")->last_packet, T(50000));
  EXPECT_THAT(tracker.Tick(T(54999)), IsEmpty());
  EXPECT_EQ(tracker.Node("b")->status, NodeStatus::kActive);
  EXPECT_EQ(tracker.NextDeadline(), T(55000));
  // Absurd far-future values do not overflow: b's deadlines saturate, c's stay.
  tracker.OnPacket(TimePoint::max(), Status("b", "eth0"));
  EXPECT_EQ(tracker.NextDeadline(), T(55000));
  tracker.OnPacket(TimePoint::max(), Status("c", "eth0"));
  EXPECT_EQ(tracker.NextDeadline(), T(60000));  // the eth1 links, last heard at 50000
  EXPECT_THAT(tracker.Tick(TimePoint::max()), Not(IsEmpty()));
}

TEST(LivenessTracker, QueryListsNormalThenPingNodes) {
  LivenessTracker tracker(Cluster({"a", "b"}, {PingNode("192.0.2.1")}), T(0));
  tracker.OnPacket(T(10), Status("b", "eth1"));
  auto nodes = tracker.Nodes();
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].name, "a");
  EXPECT_EQ(nodes[0].status, NodeStatus::kUp);
  EXPECT_TRUE(nodes[0].links.empty());
  EXPECT_EQ(nodes[1].name, "b");
  EXPECT_EQ(nodes[1].status, NodeStatus::kActive);
  EXPECT_EQ(nodes[1].last_packet, T(10));
  ASSERT_EQ(nodes[1].links.size(), 2u);
  EXPECT_EQ(nodes[1].links[0].name, "eth0");
  EXPECT_EQ(nodes[1].links[0].status, LinkStatus::kDead);
  EXPECT_EQ(nodes[1].links[1].status, LinkStatus::kUp);
  EXPECT_EQ(nodes[1].links[1].last_packet, T(10));
  EXPECT_EQ(nodes[2].name, "192.0.2.1");
  EXPECT_EQ(nodes[2].type, NodeType::kPing);
  EXPECT_EQ(nodes[2].status, NodeStatus::kInit);
  ASSERT_EQ(tracker.PingTargetViews().size(), 1u);
  EXPECT_FALSE(tracker.PingTargetViews()[0].is_group);
}

TEST(SetupFromConfig, OneLinkPerInterfaceAndAutojoin) {
  config::ClusterConfig config;
  config.nodes = {"alpha", "beta"};
  config::Medium m;
  m.interface = "eth0";
  config.media.push_back(m);
  m.type = config::MediumType::kMcast;
  config.media.push_back(m);
  m.type = config::MediumType::kUcast;
  m.interface = "eth1";
  config.media.push_back(m);
  config.ping_targets = {PingNode("192.0.2.1")};
  config.timings.deadtime = Millis(12000);
  config.autojoin = config::Autojoin::kOther;
  TrackerSetup setup = SetupFromConfig(config, "Alpha");
  EXPECT_EQ(setup.local_node, "alpha");
  EXPECT_EQ(setup.nodes, config.nodes);
  EXPECT_EQ(setup.links, (std::vector<std::string>{"eth0", "eth1"}));
  EXPECT_EQ(setup.ping_targets.size(), 1u);
  EXPECT_EQ(setup.timings.deadtime, Millis(12000));
  EXPECT_TRUE(setup.comm_up_waits_for_initdead);
}

}  // namespace
}  // namespace hbd::membership
