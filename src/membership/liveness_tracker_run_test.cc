// Long simulated runs of the liveness tracker, driven like the shell drives it: sleep until the
// next packet or NextDeadline(), whichever comes first.
#include <gtest/gtest.h>

#include <random>

#include "membership/liveness_tracker.h"

namespace hbd::membership {
namespace {

TimePoint T(int64_t ms) {
  return FakeTime(ms);
}

struct Peer {
  std::string name;
  int64_t next_first_ms = 0;            // its next status message, first copy on eth0
  std::optional<int64_t> pending_copy;  // the same message arriving over eth1
};

TEST(LivenessTrackerRun, TenThousandSecondsOfJitterBelowWarntimeAreQuiet) {
  TrackerSetup setup;
  setup.local_node = "a";
  setup.nodes = {"a", "b", "c"};
  setup.links = {"eth0", "eth1"};
  setup.timings.keepalive = Millis(100);
  setup.timings.deadtime = Millis(1000);  // warntime defaults to 500 ms
  LivenessTracker tracker(setup, T(0));
  ASSERT_EQ(tracker.timings().Warntime(), Millis(500));

  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int64_t> gap(50, 450);  // keepalive 100 ms with heavy jitter
  std::uniform_int_distribution<int64_t> copy_delay(0, 3);
  std::vector<Peer> peers = {{"b", 5, {}}, {"c", 40, {}}};
  const int64_t end_ms = 10'000'000;

  std::map<EventKind, int> counts;
  int deadline_wakeups = 0;
  int packets = 0;
  int64_t next_poll_ms = 250;  // an extra Heartbeat-style scan, to look for trouble
  auto record = [&](const Events& events) {
    for (const auto& e : events)
      ++counts[e.kind];
  };
  while (true) {
    int64_t next_packet = INT64_MAX;
    Peer* sender = nullptr;
    for (auto& p : peers) {
      int64_t due = p.pending_copy ? *p.pending_copy : p.next_first_ms;
      if (due < next_packet) {
        next_packet = due;
        sender = &p;
      }
    }
    std::optional<TimePoint> deadline = tracker.NextDeadline();
    if (deadline && *deadline <= T(std::min(next_packet, next_poll_ms))) {
      ++deadline_wakeups;
      record(tracker.Tick(*deadline));
      continue;
    }
    if (next_poll_ms < next_packet) {
      record(tracker.Tick(T(next_poll_ms)));
      next_poll_ms += 250;
      continue;
    }
    if (next_packet > end_ms)
      break;
    Packet packet;
    packet.node = sender->name;
    packet.status = "active";
    packet.deadtime = Millis(1000);
    if (sender->pending_copy) {
      packet.link = "eth1";
      packet.first_copy = false;
      sender->pending_copy.reset();
    } else {
      packet.link = "eth0";
      sender->pending_copy = next_packet + copy_delay(rng);
      sender->next_first_ms = next_packet + gap(rng);
    }
    record(tracker.OnPacket(T(next_packet), packet));
    ++packets;
  }
  EXPECT_GT(packets, 2 * 2 * 10'000'000 / 450);
  // Only the start: 4 links up, b and c init -> active, our own up -> active, comm up.
  EXPECT_EQ(counts[EventKind::kLinkStatus], 4);
  EXPECT_EQ(counts[EventKind::kNodeStatus], 3);
  EXPECT_EQ(counts[EventKind::kCommUp], 1);
  EXPECT_EQ(counts[EventKind::kLateHeartbeat], 0);
  EXPECT_EQ(counts[EventKind::kLateHeartbeatArrived], 0);
  EXPECT_EQ(counts[EventKind::kIgnoredInput], 0);
  EXPECT_EQ(deadline_wakeups, 0);  // no deadline was ever reached, so the shell never woke for one
  for (const auto& node : tracker.Nodes())
    EXPECT_EQ(node.status, NodeStatus::kActive) << node.name;
}

// Random inputs; before each one, every deadline up to its time is checked: Tick() just before a
// deadline changes nothing, Tick() at it changes something, and nothing happens between deadlines.
TEST(LivenessTrackerRun, NextDeadlineIsExactUnderRandomInputs) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    auto pick = [&rng](int64_t lo, int64_t hi) {
      return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    };
    TrackerSetup setup;
    setup.local_node = "a";
    setup.nodes = {"a", "b", "c", "d"};
    setup.links = {"eth0", "eth1"};
    config::PingTarget ping;
    ping.name = "192.0.2.1";
    ping.addresses = {"192.0.2.1"};
    config::PingTarget group;
    group.name = "gw";
    group.addresses = {"198.51.100.1", "198.51.100.2"};
    group.is_group = true;
    setup.ping_targets = {ping, group};
    setup.timings.deadtime = Millis(pick(2000, 8000));
    setup.timings.warntime = Millis(pick(500, 9000));
    setup.timings.deadping = Millis(pick(2000, 8000));
    setup.comm_up_waits_for_initdead = seed % 3 == 0;
    LivenessTracker tracker(setup, T(0));

    const std::vector<std::string> peers = {"b", "c", "d"};
    const std::vector<std::string> addresses = {"192.0.2.1", "198.51.100.1", "198.51.100.2"};
    int64_t now_ms = 0;
    int deadlines = 0;
    for (int step = 0; step < 600; ++step) {
      int64_t action_ms = now_ms + pick(0, 2500);
      for (int guard = 0; guard < 100; ++guard) {
        std::optional<TimePoint> due = tracker.NextDeadline();
        if (!due || *due > T(action_ms))
          break;
        if (*due > T(now_ms)) {
          EXPECT_TRUE(tracker.Tick(*due - std::chrono::nanoseconds(1)).empty());
        }
        EXPECT_FALSE(tracker.Tick(*due).empty());
        ++deadlines;
        if (*due > T(now_ms))
          now_ms = std::chrono::duration_cast<Millis>(due->time_since_epoch()).count();
      }
      EXPECT_TRUE(tracker.Tick(T(action_ms)).empty());
      now_ms = action_ms;
      int64_t what = pick(0, 99);
      if (what < 60) {
        Packet p;
        p.node = peers[static_cast<size_t>(pick(0, 2))];
        p.link = pick(0, 1) ? "eth0" : "eth1";
        p.first_copy = pick(0, 3) != 0;
        if (pick(0, 4) != 0)
          p.status = pick(0, 1) ? "up" : "active";
        if (pick(0, 2) == 0)
          p.deadtime = Millis(pick(1000, 9000));
        tracker.OnPacket(T(now_ms), p);
      } else if (what < 85) {
        tracker.OnPingReply(T(now_ms), addresses[static_cast<size_t>(pick(0, 2))]);
      } else if (what < 90) {
        tracker.OnNodeShutdown(T(now_ms), peers[static_cast<size_t>(pick(0, 2))]);
      } else if (what < 93) {
        config::Timings t = tracker.timings();
        t.deadtime = Millis(pick(2000, 8000));
        t.warntime = Millis(pick(500, 9000));
        tracker.SetTimings(T(now_ms), t);
      }
      // else: nothing but time passes.
    }
    EXPECT_GT(deadlines, 20);
  }
}

}  // namespace
}  // namespace hbd::membership
