#include "wire/packet_verifier.h"

#include <gtest/gtest.h>

#include <random>

#include "wire/netstring_codec.h"
#include "wire/status_message.h"
#include "wire/test_fixtures.h"

namespace hbd::wire {
namespace {

config::ClusterConfig TwoNodes(config::AuthMethod method = config::AuthMethod::kSha1) {
  config::ClusterConfig config;
  config.nodes = {"node1", "node2"};
  config.auth = testing::CaptureAuth(method);
  return config;
}

// A signed status datagram from `node`.
std::string Status(const std::string& node, uint64_t generation, uint64_t seq,
                   const config::ClusterConfig& config = TwoNodes()) {
  ControlFields control;
  control.node = node;
  control.uuid = std::string(16, 'u');
  control.seq = seq;
  control.generation = generation;
  Message m = BuildStatusMessage("active", std::chrono::milliseconds(10000), control);
  return Authenticator(config.auth).SignAndEncode(m);
}

TEST(WirePacketVerifier, AcceptsEveryCapturedSha1PacketOnce) {
  PacketVerifier verifier(TwoNodes());
  int accepted = 0;
  int no_seq = 0;
  for (const auto& p : testing::LoadCapturedPackets()) {
    if (p.method != config::AuthMethod::kSha1)
      continue;
    SCOPED_TRACE(p.file);
    Verdict v = verifier.Verify(p.bytes, 1);
    ASSERT_TRUE(v.accepted()) << ToString(*v.rejected);
    EXPECT_TRUE(v.authenticated);
    EXPECT_EQ(v.medium, 1u);
    EXPECT_EQ(v.source, v.message.Get("src"));
    EXPECT_NE(v.generation, 0u);
    EXPECT_EQ(v.seq.has_value(), !p.file.ends_with("ns-ackmsg.bin"));
    ++accepted;
    // The same datagram again, as if on a second medium.
    Verdict again = verifier.Verify(p.bytes, 2);
    if (v.seq) {
      EXPECT_EQ(again.rejected, RejectReason::kDuplicate);
      EXPECT_TRUE(again.authenticated);
      EXPECT_EQ(again.source, v.source);
      EXPECT_EQ(again.medium, 2u);
      EXPECT_TRUE(again.message.empty());
    } else {
      EXPECT_TRUE(again.accepted());  // NS_* messages carry no seq to deduplicate
      ++no_seq;
    }
  }
  EXPECT_GE(accepted, 40);
  EXPECT_GT(no_seq, 10);
  EXPECT_EQ(verifier.counters().accepted, static_cast<uint64_t>(accepted + no_seq));
  EXPECT_EQ(verifier.counters().Rejected(RejectReason::kDuplicate),
            static_cast<uint64_t>(accepted - no_seq));
  EXPECT_EQ(verifier.counters().TotalRejected(),
            verifier.counters().Rejected(RejectReason::kDuplicate));
  ASSERT_NE(verifier.WindowOf("node1"), nullptr);
  ASSERT_NE(verifier.WindowOf("node2"), nullptr);
}

TEST(WirePacketVerifier, ChecksRunCheapestFirst) {
  PacketVerifier verifier(TwoNodes());
  EXPECT_EQ(verifier.Verify("junk", 0).rejected, RejectReason::kTooShort);
  EXPECT_EQ(verifier.Verify("junkjunkjunk", 0).rejected, RejectReason::kBadMagic);
  EXPECT_EQ(verifier.Verify("###\n3:abc,%%%\n", 0).rejected, RejectReason::kMalformedField);
  // Unknown source is refused before the digest is looked at.
  std::string stranger = Status("node3", 1, 1);
  EXPECT_EQ(verifier.Verify(stranger, 0).rejected, RejectReason::kUnknownSource);
  std::string bad_digest = Status("node3", 1, 1);
  bad_digest[bad_digest.size() - 3] ^= 1;
  EXPECT_EQ(verifier.Verify(bad_digest, 0).rejected, RejectReason::kUnknownSource);
  // Key index before digest.
  config::ClusterConfig other = TwoNodes();
  other.auth.keys[0].index = 4;
  other.auth.sign_index = 4;
  EXPECT_EQ(verifier.Verify(Status("node2", 1, 1, other), 0).rejected,
            RejectReason::kUnknownKeyIndex);
  other = TwoNodes();
  other.auth.keys[0].secret = "wrong";
  Verdict forged = verifier.Verify(Status("node2", 1, 1, other), 0);
  EXPECT_EQ(forged.rejected, RejectReason::kBadDigest);
  EXPECT_FALSE(forged.authenticated);
  EXPECT_TRUE(forged.source.empty());
  // A forged packet must not have touched the window.
  EXPECT_EQ(verifier.WindowOf("node2"), nullptr);
  EXPECT_TRUE(verifier.Verify(Status("node2", 1, 1), 0).accepted());
  EXPECT_EQ(verifier.counters().accepted, 1u);
  EXPECT_EQ(verifier.counters().Rejected(RejectReason::kUnknownSource), 2u);
  EXPECT_EQ(verifier.counters().TotalRejected(), 7u);
}

TEST(WirePacketVerifier, AutojoinAcceptsUnlistedNodes) {
  config::ClusterConfig config = TwoNodes();
  config.autojoin = config::Autojoin::kAny;
  PacketVerifier verifier(config);
  EXPECT_TRUE(verifier.Verify(Status("node3", 1, 1), 0).accepted());
}

TEST(WirePacketVerifier, ReplayRestartAndOldGeneration) {
  PacketVerifier verifier(TwoNodes());
  std::string first = Status("node2", 100, 1);
  ASSERT_TRUE(verifier.Verify(first, 0).accepted());
  for (uint64_t s = 2; s <= 400; ++s)
    ASSERT_TRUE(verifier.Verify(Status("node2", 100, s), 0).accepted());
  EXPECT_EQ(verifier.Verify(first, 0).rejected, RejectReason::kReplay);
  Verdict restart = verifier.Verify(Status("node2", 101, 1), 0);
  ASSERT_TRUE(restart.accepted());
  EXPECT_TRUE(restart.new_generation);
  EXPECT_EQ(verifier.Verify(Status("node2", 100, 401), 0).rejected, RejectReason::kOldGeneration);
  EXPECT_EQ(verifier.counters().Rejected(RejectReason::kReplay), 1u);
  EXPECT_EQ(verifier.counters().Rejected(RejectReason::kOldGeneration), 1u);
  verifier.ForgetNode("node2");
  EXPECT_EQ(verifier.WindowOf("node2"), nullptr);
}

TEST(WirePacketVerifier, SequenceAndGenerationMustParse) {
  PacketVerifier verifier(TwoNodes());
  Authenticator auth(TwoNodes().auth);
  Message m;
  m.Add("t", "status");
  m.Add("src", "node2");
  m.Add("hg", "1");
  EXPECT_EQ(verifier.Verify(auth.SignAndEncode(m), 0).rejected, RejectReason::kBadSequence);
  m.Set("seq", "0");
  EXPECT_EQ(verifier.Verify(auth.SignAndEncode(m), 0).rejected, RejectReason::kBadSequence);
  m.Set("seq", "zz");
  EXPECT_EQ(verifier.Verify(auth.SignAndEncode(m), 0).rejected, RejectReason::kBadSequence);
  m.Set("seq", "1");
  m.Set("hg", "not-hex");
  EXPECT_EQ(verifier.Verify(auth.SignAndEncode(m), 0).rejected, RejectReason::kBadGeneration);
  m.Remove("src");
  EXPECT_EQ(verifier.Verify(auth.SignAndEncode(m), 0).rejected, RejectReason::kNoSource);
}

TEST(WirePacketVerifier, ReconfigureKeepsWindowsAndTakesNewKeys) {
  PacketVerifier verifier(TwoNodes());
  ASSERT_TRUE(verifier.Verify(Status("node2", 1, 5), 0).accepted());
  config::ClusterConfig md5 = TwoNodes(config::AuthMethod::kMd5);
  verifier.Reconfigure(md5);
  EXPECT_EQ(verifier.Verify(Status("node2", 1, 6), 0).rejected, RejectReason::kBadDigest);
  EXPECT_EQ(verifier.Verify(Status("node2", 1, 5, md5), 0).rejected, RejectReason::kDuplicate);
  EXPECT_TRUE(verifier.Verify(Status("node2", 1, 6, md5), 0).accepted());
}

// Random damage to real packets, and random junk: never a crash, never an acceptance of anything
// but the original bytes. Deterministic seed.
TEST(WirePacketVerifier, SurvivesRandomDamageAndJunk) {
  std::mt19937 rng(694);
  auto packets = testing::LoadCapturedPackets();
  PacketVerifier verifier(TwoNodes());
  for (int round = 0; round < 20000; ++round) {
    const auto& original = packets[rng() % packets.size()];
    std::string bytes = original.bytes;
    switch (rng() % 4) {
      case 0:  // truncate
        bytes.resize(rng() % bytes.size());
        break;
      case 1:  // overwrite a few bytes
        for (int i = 0, n = 1 + static_cast<int>(rng() % 4); i < n; ++i) {
          bytes[rng() % bytes.size()] = static_cast<char>(rng());
        }
        break;
      case 2:  // insert a byte
        bytes.insert(bytes.begin() + static_cast<long>(rng() % bytes.size()),
                     static_cast<char>(rng()));
        break;
      default:  // junk with a valid magic
        bytes = (rng() % 2 ? "###\n" : ">>>\n") + std::string(rng() % 200, '\0');
        for (size_t i = 4; i < bytes.size(); ++i)
          bytes[i] = "0123456789:,()=%\n#ab"[rng() % 20];
    }
    Verdict v = verifier.Verify(bytes, 0);
    if (v.accepted()) {
      EXPECT_EQ(bytes, original.bytes) << "damaged packet accepted";
    }
  }
  EXPECT_GT(verifier.counters().TotalRejected(), 19000u);
}

TEST(WirePacketVerifier, ToStringNamesEveryReason) {
  for (size_t i = 0; i < kRejectReasonCount; ++i) {
    std::string name = ToString(static_cast<RejectReason>(i));
    EXPECT_NE(name, "unknown") << i;
    EXPECT_FALSE(name.empty());
  }
}

}  // namespace
}  // namespace hbd::wire
