#include "membership/membership_protocol.h"

#include <gtest/gtest.h>

#include "wire/authenticator.h"
#include "wire/packet_verifier.h"
#include "wire/status_message.h"
#include "wire/text_codec.h"

namespace hbd::membership {
namespace {

config::ClusterConfig TwoNodes() {
  config::ClusterConfig c;
  c.nodes = {"node1", "node2"};
  c.timings.keepalive = Millis(100);
  c.timings.deadtime = Millis(1000);
  c.timings.warntime = Millis(500);
  c.timings.initdead = Millis(2000);
  config::Medium m;
  m.type = config::MediumType::kUcast;
  m.interface = "eth0";
  m.address = "192.0.2.2";
  c.media.push_back(m);
  c.auth.sign_index = 1;
  c.auth.keys.push_back({1, config::AuthMethod::kSha1, "k", {}});
  return c;
}

// A peer: node2 with its own protocol engine; messages travel through real signing and
// verification so the test exercises what goes on the wire.
struct Pair {
  explicit Pair(config::ClusterConfig c = TwoNodes()) : config(std::move(c)) {}
  config::ClusterConfig config;
  MembershipProtocol a{config, {"node1", std::string(16, 'a'), 7}, FakeTime(0)};
  MembershipProtocol b{config, {"node2", std::string(16, 'b'), 9}, FakeTime(0)};
  wire::Authenticator auth{config.auth};
  wire::PacketVerifier verify_at_a{config};
  wire::PacketVerifier verify_at_b{config};

  // Delivers b's output to a; returns a's output.
  ProtocolOutput ToA(int64_t ms, ProtocolOutput from_b) {
    ProtocolOutput result;
    for (auto& m : from_b.send) {
      auto verdict = verify_at_a.Verify(auth.SignAndEncode(m), 0);
      auto o = a.OnVerified(FakeTime(ms), 1000, verdict, "eth0");
      for (auto& s : o.send)
        result.send.push_back(s);
      for (auto& e : o.events)
        result.events.push_back(e);
    }
    return result;
  }
  ProtocolOutput ToB(int64_t ms, ProtocolOutput from_a) {
    ProtocolOutput result;
    for (auto& m : from_a.send) {
      auto verdict = verify_at_b.Verify(auth.SignAndEncode(m), 0);
      auto o = b.OnVerified(FakeTime(ms), 1000, verdict, "eth0");
      for (auto& s : o.send)
        result.send.push_back(s);
      for (auto& e : o.events)
        result.events.push_back(e);
    }
    return result;
  }
};

bool Has(const Events& events, EventKind kind) {
  for (const auto& e : events) {
    if (e.kind == kind)
      return true;
  }
  return false;
}

TEST(MembershipProtocol, StatusMessagesCarrySeqGenerationAndStatus) {
  Pair p;
  auto out = p.a.Heartbeat(FakeTime(0), 1000);
  ASSERT_EQ(out.send.size(), 1u);
  const auto& m = out.send[0];
  EXPECT_EQ(m.Get("t"), "status");
  EXPECT_EQ(m.Get("st"), "up");  // not active before comm-up
  EXPECT_EQ(m.Get("seq"), "1");
  EXPECT_EQ(m.Get("hg"), "7");
  EXPECT_EQ(m.Get("dt"), "3e8");  // 1000 ms
  EXPECT_EQ(m.Get(kPingCountField), "0");
  EXPECT_EQ(p.a.Heartbeat(FakeTime(100), 1000).send[0].Get("seq"), "2");
}

TEST(MembershipProtocol, TwoNodesSeeEachOtherAndGoActive) {
  Pair p;
  auto at_a = p.ToA(10, p.b.Heartbeat(FakeTime(10), 1000));
  EXPECT_TRUE(Has(at_a.events, EventKind::kCommUp));
  EXPECT_EQ(p.a.tracker().Node("node2")->status, NodeStatus::kUp);
  auto next = p.a.Heartbeat(FakeTime(100), 1000);
  EXPECT_EQ(next.send[0].Get("st"), "active");
  p.ToB(100, next);
  EXPECT_EQ(p.b.tracker().Node("node1")->status, NodeStatus::kActive);
}

TEST(MembershipProtocol, AnswersReqnodesWithRepnodes) {
  Pair p;
  wire::Message req;
  req.Add("t", "reqnodes");
  req.Add("dest", "node1");
  wire::AddControlFields(req, {"node2", std::string(16, 'b'), 1, 9, 1000});
  auto verdict = p.verify_at_a.Verify(p.auth.SignAndEncode(req), 0);
  ASSERT_TRUE(verdict.accepted()) << wire::ToString(*verdict.rejected);
  auto out = p.a.OnVerified(FakeTime(5), 1000, verdict, "eth0");
  bool found = false;
  for (const auto& m : out.send) {
    if (m.Get("t") != "repnodes")
      continue;
    found = true;
    EXPECT_EQ(m.Get("dest"), "node2");
    EXPECT_EQ(m.Get("nodelist"), "node1 node2 ");
    EXPECT_EQ(m.Get("destuuid"), std::string(16, 'b'));
  }
  EXPECT_TRUE(found);
}

// node2's status as Heartbeat 3 sends it: without hbd's own fields.
ProtocolOutput AsHeartbeatPeer(ProtocolOutput out) {
  for (auto& m : out.send)
    m.Remove(kPingCountField);
  return out;
}

int CountAcks(const ProtocolOutput& out) {
  int acks = 0;
  for (const auto& m : out.send)
    acks += m.Get("t") == "NS_ackmsg";
  return acks;
}

TEST(MembershipProtocol, AcknowledgesOneInTenInOrderMessagesOfAHeartbeatPeer) {
  Pair p;
  int acks = 0;
  for (int i = 0; i < 40; ++i) {
    auto out = p.ToA(i * 100, AsHeartbeatPeer(p.b.Heartbeat(FakeTime(i * 100), 1000)));
    for (const auto& m : out.send) {
      if (m.Get("t") != "NS_ackmsg")
        continue;
      ++acks;
      EXPECT_EQ(m.Get("dest"), "node2");
      auto seq = wire::ParseHex(*m.Get("ackseq"));
      ASSERT_TRUE(seq);
      EXPECT_LE(*seq, p.b.last_seq());
      EXPECT_FALSE(m.Has("seq"));  // NS_ messages carry no seq
    }
  }
  EXPECT_EQ(acks, 4);
}

// hbd reads no acks; at 32 nodes acks between hbd nodes were three quarters of all packets.
TEST(MembershipProtocol, SendsNoAcksToAnHbdPeer) {
  Pair p;
  int acks = 0;
  for (int i = 0; i < 40; ++i)
    acks += CountAcks(p.ToA(i * 100, p.b.Heartbeat(FakeTime(i * 100), 1000)));
  EXPECT_EQ(acks, 0);
}

TEST(MembershipProtocol, AcknowledgesAgainWhenThePeerRunsHeartbeatInstead) {
  Pair p;
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(CountAcks(p.ToA(i * 100, p.b.Heartbeat(FakeTime(i * 100), 1000))), 0);
  int acks = 0;
  for (int i = 20; i < 40; ++i)
    acks += CountAcks(p.ToA(i * 100, AsHeartbeatPeer(p.b.Heartbeat(FakeTime(i * 100), 1000))));
  EXPECT_EQ(acks, 2);
}

TEST(MembershipProtocol, RetransmitsFromHistoryAndNaksTheUnknown) {
  Pair p;
  std::vector<wire::Message> sent;
  for (int i = 0; i < 5; ++i)
    sent.push_back(p.a.Heartbeat(FakeTime(i * 100), 1000).send[0]);
  wire::Message req;
  req.Add("t", "NS_rexmit");
  req.Add("dest", "node1");
  req.Add("firstseq", "3");
  req.Add("lastseq", "3");
  wire::AddControlFields(req, {"node2", std::string(16, 'b'), 0, 9, 1000});
  auto out = p.a.OnVerified(FakeTime(600), 1000, p.verify_at_a.Verify(p.auth.SignAndEncode(req), 0),
                            "eth0");
  ASSERT_EQ(out.send.size(), 1u);
  EXPECT_EQ(out.send[0], sent[2]);  // the very same message: seq 3, same ts and hg
  // Asked again at once: not re-sent within the spacing.
  auto again = p.a.OnVerified(FakeTime(601), 1000,
                              p.verify_at_a.Verify(p.auth.SignAndEncode(req), 0), "eth0");
  EXPECT_TRUE(again.send.empty());
}

TEST(MembershipProtocol, ShutdoneMarksThePeerDeadAtOnce) {
  Pair p;
  p.ToA(10, p.b.Heartbeat(FakeTime(10), 1000));
  ASSERT_EQ(p.a.tracker().Node("node2")->status, NodeStatus::kUp);
  auto out = p.ToA(50, p.b.Shutdown(1000));
  EXPECT_EQ(p.a.tracker().Node("node2")->status, NodeStatus::kDead);
  EXPECT_TRUE(Has(out.events, EventKind::kNodeStatus));
}

// Found with a real Heartbeat 3.0.6: after `shutdone` it goes on sending `st=active` status for
// about 2 s while it stops its children. Those must not bring the leaving node back.
TEST(MembershipProtocol, StatusAfterShutdoneDoesNotReviveUntilARestart) {
  Pair p;
  p.ToA(10, p.b.Heartbeat(FakeTime(10), 1000));
  p.ToA(20, p.b.Shutdown(1000));
  ASSERT_EQ(p.a.tracker().Node("node2")->status, NodeStatus::kDead);
  for (int ms = 100; ms <= 2000; ms += 100) {
    auto out = p.ToA(ms, p.b.Heartbeat(FakeTime(ms), 1000));
    EXPECT_FALSE(Has(out.events, EventKind::kNodeStatus)) << "at " << ms << " ms";
    EXPECT_EQ(p.a.tracker().Node("node2")->status, NodeStatus::kDead) << "at " << ms << " ms";
  }
  // The node restarts: a higher generation is a new life.
  MembershipProtocol restarted{p.config, {"node2", std::string(16, 'b'), 10}, FakeTime(0)};
  auto out = p.ToA(2100, restarted.Heartbeat(FakeTime(2100), 1000));
  EXPECT_TRUE(Has(out.events, EventKind::kNodeStatus));
  EXPECT_NE(p.a.tracker().Node("node2")->status, NodeStatus::kDead);
}

TEST(MembershipProtocol, PeerPingCountIsLearnedFromStatus) {
  Pair p;
  auto hb = p.b.Heartbeat(FakeTime(10), 1000);
  hb.send[0].Set(kPingCountField, "2");
  p.ToA(10, hb);
  EXPECT_EQ(p.a.tracker().PeerPingCount("node2"), 2);
}

TEST(MembershipProtocol, PingCountIsAnnouncedOnceEveryTargetHasAnsweredOrTimedOut) {
  config::ClusterConfig c = TwoNodes();
  c.ping_targets.push_back({"198.51.100.1", {"198.51.100.1"}, false, {}});
  c.ping_targets.push_back({"198.51.100.2", {"198.51.100.2"}, false, {}});
  Pair p(c);
  // Not settled: the peer learns that node1 runs hbd, not a count that would pass it over.
  EXPECT_EQ(p.a.Heartbeat(FakeTime(0), 1000).send[0].Get(kPingCountField), "-");
  p.a.OnPingReply(FakeTime(5), "198.51.100.1");
  EXPECT_EQ(p.a.tracker().LastPingReply(), FakeTime(5));
  EXPECT_EQ(p.a.Heartbeat(FakeTime(10), 1000).send[0].Get(kPingCountField), "-");
  p.a.OnPingReply(FakeTime(20), "198.51.100.2");
  EXPECT_EQ(p.a.Heartbeat(FakeTime(30), 1000).send[0].Get(kPingCountField), "2");
  EXPECT_EQ(p.a.tracker().LastPingReply(), FakeTime(20));
  // At node2, "-" marks an hbd peer without a count.
  auto hb = p.b.Heartbeat(FakeTime(40), 1000);
  hb.send[0].Set(kPingCountField, "-");
  p.ToA(40, hb);
  EXPECT_TRUE(p.a.IsHbdPeer("node2"));
  EXPECT_EQ(p.a.tracker().PeerPingCount("node2"), std::nullopt);
}

TEST(MembershipProtocol, DuplicatesKeepTheLinkButAreNotAnsweredTwice) {
  Pair p;
  auto hb = p.b.Heartbeat(FakeTime(10), 1000);
  auto bytes = p.auth.SignAndEncode(hb.send[0]);
  auto first = p.verify_at_a.Verify(bytes, 0);
  auto second = p.verify_at_a.Verify(bytes, 1);
  ASSERT_TRUE(first.accepted());
  ASSERT_FALSE(second.accepted());
  ASSERT_TRUE(second.authenticated);
  p.a.OnVerified(FakeTime(10), 1000, first, "eth0");
  auto out = p.a.OnVerified(FakeTime(11), 1000, second, "eth1");
  EXPECT_TRUE(out.send.empty());
}

// A captured packet sent again once the link has died: an old generation or a seq older than
// the replay window is authentic but must not bring the link (or the node) back.
TEST(MembershipProtocol, ReplaysAndOldGenerationsDoNotKeepALinkAlive) {
  Pair p;
  auto old_run = p.b.Heartbeat(FakeTime(10), 1000);
  auto old_bytes = p.auth.SignAndEncode(old_run.send[0]);
  ASSERT_TRUE(p.verify_at_a.Verify(old_bytes, 0).accepted());
  // node2 restarts (generation 10 > 9) and sends 300 messages: the old run's packets are now
  // an old generation, and the new run's first one is older than the window.
  MembershipProtocol restarted{p.config, {"node2", std::string(16, 'b'), 10}, FakeTime(20)};
  std::string first_new;
  for (int i = 0; i < 300; ++i) {
    auto hb = restarted.Heartbeat(FakeTime(20 + i), 1000);
    auto bytes = p.auth.SignAndEncode(hb.send[0]);
    if (i == 0)
      first_new = bytes;
    auto v = p.verify_at_a.Verify(bytes, 0);
    ASSERT_TRUE(v.accepted()) << i;
    p.a.OnVerified(FakeTime(20 + i), 1000, v, "eth0");
  }
  auto link_last = [&] { return p.a.tracker().Node("node2")->links.at(0).last_packet; };
  ASSERT_EQ(link_last(), FakeTime(319));

  auto old_generation = p.verify_at_a.Verify(old_bytes, 0);
  ASSERT_EQ(old_generation.rejected, wire::RejectReason::kOldGeneration);
  ASSERT_TRUE(old_generation.authenticated);
  auto replay = p.verify_at_a.Verify(first_new, 0);
  ASSERT_EQ(replay.rejected, wire::RejectReason::kReplay);
  ASSERT_TRUE(replay.authenticated);

  // Long after the link died (deadtime 1 s), the replays arrive.
  p.a.Tick(FakeTime(5000));
  ASSERT_EQ(p.a.tracker().Node("node2")->status, NodeStatus::kDead);
  for (const auto& v : {old_generation, replay}) {
    auto out = p.a.OnVerified(FakeTime(5000), 1000, v, "eth0");
    EXPECT_TRUE(out.events.empty());
    EXPECT_TRUE(out.send.empty());
  }
  EXPECT_EQ(link_last(), FakeTime(319));
  EXPECT_EQ(p.a.tracker().Node("node2")->status, NodeStatus::kDead);
  EXPECT_EQ(p.a.tracker().Node("node2")->links.at(0).status, LinkStatus::kDead);
}

config::ClusterConfig NiceFailback() {
  config::ClusterConfig c = TwoNodes();
  c.auto_failback = config::AutoFailback::kOff;
  return c;
}

std::vector<wire::Message> OfType(const ProtocolOutput& out, std::string_view type) {
  std::vector<wire::Message> found;
  for (const auto& m : out.send) {
    if (m.Get("t") == type)
      found.push_back(m);
  }
  return found;
}

// A signed `starting` from node2 with this seq, verified at node1 on `medium`.
wire::Verdict StartingAtA(Pair& p, uint64_t seq, size_t medium = 0) {
  wire::Message m;
  m.Add("t", "starting");
  wire::AddControlFields(m, {"node2", std::string(16, 'b'), seq, 9, 1000});
  return p.verify_at_a.Verify(p.auth.SignAndEncode(m), medium);
}

// Found with a real Heartbeat 3.0.6 (auto_failback off): it waits at comm-up for its peer's
// resource report and, without one, defers its graceful shutdown for ever (no `shutdone`).
TEST(MembershipProtocol, ReportsHoldingNoResourcesStablyAtCommUpWithNiceFailback) {
  Pair p(NiceFailback());
  auto at_a = p.ToA(10, p.b.Heartbeat(FakeTime(10), 1000));
  ASSERT_TRUE(Has(at_a.events, EventKind::kCommUp));
  auto reports = OfType(at_a, "resource");
  ASSERT_EQ(reports.size(), 1u);
  const auto& r = reports[0];
  EXPECT_EQ(r.Get("rsc_hold"), "none");
  EXPECT_EQ(r.Get("rtype"), "full");
  EXPECT_EQ(r.Get("isstable"), "1");
  EXPECT_FALSE(r.Has("dest"));  // to every node, like Heartbeat's own report
  EXPECT_EQ(r.Get("src"), "node1");
  EXPECT_TRUE(r.Has("seq"));  // a sequenced message: retransmittable, acknowledged
  // Once: later traffic does not repeat it.
  EXPECT_TRUE(OfType(p.a.Heartbeat(FakeTime(100), 1000), "resource").empty());
  EXPECT_TRUE(OfType(p.ToA(110, p.b.Heartbeat(FakeTime(110), 1000)), "resource").empty());
  // The peer (hbd too) reports at its own comm-up, but a report never answers a report.
  EXPECT_EQ(OfType(p.ToB(120, p.a.Heartbeat(FakeTime(120), 1000)), "resource").size(), 1u);
  EXPECT_TRUE(OfType(p.ToB(130, {{r}, {}, {}, {}}), "resource").empty());
}

TEST(MembershipProtocol, AnswersStartingWithAResourceReport) {
  Pair p(NiceFailback());
  p.ToA(10, p.b.Heartbeat(FakeTime(10), 1000));  // comm-up; its report went out then
  auto verdict = StartingAtA(p, 2);
  ASSERT_TRUE(verdict.accepted()) << wire::ToString(*verdict.rejected);
  auto out = p.a.OnVerified(FakeTime(20), 1000, verdict, "eth0");
  auto reports = OfType(out, "resource");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].Get("rsc_hold"), "none");
  EXPECT_EQ(reports[0].Get("isstable"), "1");
  // The same `starting` seen again on another medium is a duplicate: no second answer.
  auto dup = StartingAtA(p, 2, 1);
  ASSERT_FALSE(dup.accepted());
  EXPECT_TRUE(OfType(p.a.OnVerified(FakeTime(21), 1000, dup, "eth1"), "resource").empty());
}

// Heartbeat can reach comm-up first (it heard our status before we heard its): its `starting`
// is answered even though we are not comm-up yet, and our comm-up reports again.
TEST(MembershipProtocol, StartingBeforeOurCommUpIsAnsweredToo) {
  Pair p(NiceFailback());
  auto out = p.a.OnVerified(FakeTime(20), 1000, StartingAtA(p, 1), "eth0");
  ASSERT_FALSE(Has(out.events, EventKind::kCommUp));  // a non-status packet brings no comm-up
  EXPECT_EQ(OfType(out, "resource").size(), 1u);
  p.b.Heartbeat(FakeTime(25), 1000);  // seq 1 went to the `starting` above: lost
  auto at_a = p.ToA(30, p.b.Heartbeat(FakeTime(30), 1000));
  ASSERT_TRUE(Has(at_a.events, EventKind::kCommUp));
  EXPECT_EQ(OfType(at_a, "resource").size(), 1u);
}

TEST(MembershipProtocol, CommUpAfterInitdeadReportsWithTheNextHeartbeat) {
  Pair p(NiceFailback());
  auto tick = p.a.Tick(FakeTime(2000));  // initdead: node2 never heard, declared dead
  ASSERT_TRUE(Has(tick.events, EventKind::kCommUp));
  EXPECT_TRUE(tick.send.empty());  // Tick() sends nothing
  auto hb = p.a.Heartbeat(FakeTime(2001), 1000);
  EXPECT_EQ(OfType(hb, "resource").size(), 1u);
  EXPECT_TRUE(OfType(p.a.Heartbeat(FakeTime(2100), 1000), "resource").empty());
}

TEST(MembershipProtocol, LegacyAutoFailbackSendsNoResourceReports) {
  Pair p;  // auto_failback legacy: Heartbeat neither sends nor reads resource reports
  auto at_a = p.ToA(10, p.b.Heartbeat(FakeTime(10), 1000));
  ASSERT_TRUE(Has(at_a.events, EventKind::kCommUp));
  EXPECT_TRUE(OfType(at_a, "resource").empty());
  auto verdict = StartingAtA(p, 2);
  ASSERT_TRUE(verdict.accepted());
  EXPECT_TRUE(OfType(p.a.OnVerified(FakeTime(20), 1000, verdict, "eth0"), "resource").empty());
  EXPECT_TRUE(OfType(p.a.Heartbeat(FakeTime(100), 1000), "resource").empty());
}

}  // namespace
}  // namespace hbd::membership

namespace hbd::membership {
namespace {

TEST(MembershipProtocol, HoldingChangesAreReportedToHeartbeatPeers) {
  config::ClusterConfig c = TwoNodes();
  c.auto_failback = config::AutoFailback::kOff;
  MembershipProtocol a(c, {"node1", std::string(16, 'a'), 7}, FakeTime(0));
  MembershipProtocol b(c, {"node2", std::string(16, 'b'), 9}, FakeTime(0));
  wire::Authenticator auth(c.auth);
  wire::PacketVerifier verify(c);
  for (auto& m : b.Heartbeat(FakeTime(1), 1000).send) {
    a.OnVerified(FakeTime(1), 1000, verify.Verify(auth.SignAndEncode(m), 0), "eth0");
  }
  ASSERT_TRUE(a.tracker().CommUp());
  a.Heartbeat(FakeTime(2), 1000);  // the comm-up report (none) goes out here
  a.SetResourcesHeld("local");
  auto out = a.Heartbeat(FakeTime(3), 1000);
  bool found = false;
  for (const auto& m : out.send) {
    if (m.Get("t") == "resource") {
      found = true;
      EXPECT_EQ(m.Get("rsc_hold"), "local");
      EXPECT_EQ(m.Get("isstable"), "1");
    }
  }
  EXPECT_TRUE(found);
  a.SetResourcesHeld("local");  // unchanged: nothing more
  for (const auto& m : a.Heartbeat(FakeTime(4), 1000).send)
    EXPECT_NE(m.Get("t"), "resource");
}

}  // namespace
}  // namespace hbd::membership
