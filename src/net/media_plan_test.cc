#include "net/media_plan.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace hbd::net {
namespace {

using config::Medium;
using config::MediumType;

Medium Make(MediumType type, std::string interface, std::string address, uint16_t port) {
  Medium m;
  m.type = type;
  m.interface = std::move(interface);
  m.address = std::move(address);
  m.port = port;
  return m;
}

TEST(MediaPlanTest, MediaOnOneInterfaceAndPortShareOneReceiveSocket) {
  std::vector<Medium> media = {
      Make(MediumType::kBcast, "eth0", "", 694),
      Make(MediumType::kUcast, "eth1", "198.51.100.1", 694),
      Make(MediumType::kUcast, "eth1", "198.51.100.2", 694),
      Make(MediumType::kMcast, "eth0", "239.255.1.1", 694),
  };
  std::vector<ReceiveSocketPlan> plans = PlanReceiveSockets(media);
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0], (ReceiveSocketPlan{AddressFamily::kIPv4, "eth0", 694, {0, 3}}));
  EXPECT_EQ(plans[1], (ReceiveSocketPlan{AddressFamily::kIPv4, "eth1", 694, {1, 2}}));
}

TEST(MediaPlanTest, DifferentPortsOrFamiliesGetTheirOwnSockets) {
  std::vector<Medium> media = {
      Make(MediumType::kMcast, "eth0", "239.255.1.1", 694),
      Make(MediumType::kMcast, "eth0", "239.255.1.2", 695),
      Make(MediumType::kMcast6, "eth0", "ff02::694", 694),
      Make(MediumType::kUcast6, "eth0", "fe80::2", 694),
      Make(MediumType::kBcast, "eth1", "", 694),
  };
  std::vector<ReceiveSocketPlan> plans = PlanReceiveSockets(media);
  ASSERT_EQ(plans.size(), 4u);
  EXPECT_EQ(plans[0].media, (std::vector<size_t>{0}));
  EXPECT_EQ(plans[1].port, 695);
  EXPECT_EQ(plans[2], (ReceiveSocketPlan{AddressFamily::kIPv6, "eth0", 694, {2, 3}}));
  EXPECT_EQ(plans[3].interface, "eth1");
}

TEST(MediaPlanTest, EveryMediumIsInExactlyOneSocket) {
  std::vector<Medium> media;
  for (int i = 0; i < 20; ++i)
    media.push_back(Make(i % 3 == 0 ? MediumType::kUcast6 : MediumType::kUcast,
                         "eth" + std::to_string(i % 4), "", static_cast<uint16_t>(694 + i % 2)));
  std::vector<int> seen(media.size(), 0);
  for (const ReceiveSocketPlan& plan : PlanReceiveSockets(media)) {
    for (size_t m : plan.media) {
      ++seen[m];
      EXPECT_EQ(media[m].interface, plan.interface);
      EXPECT_EQ(media[m].port, plan.port);
      EXPECT_EQ(FamilyOf(media[m].type), plan.family);
    }
  }
  for (int count : seen)
    EXPECT_EQ(count, 1);
}

TEST(MediaPlanTest, NoMediaNoSockets) {
  EXPECT_TRUE(PlanReceiveSockets({}).empty());
}

TEST(MediaPlanTest, DescribesMediaInTheOperatorsWords) {
  EXPECT_EQ(DescribeMedium(Make(MediumType::kMcast, "eth0", "239.255.1.1", 694)),
            "mcast eth0 239.255.1.1:694");
  EXPECT_EQ(DescribeMedium(Make(MediumType::kBcast, "eth1", "", 6940)), "bcast eth1 :6940");
  EXPECT_EQ(DescribeMedium(Make(MediumType::kUcast6, "eth0", "fe80::2", 694)),
            "ucast6 eth0 [fe80::2]:694");
}

TEST(MediaPlanTest, OwnAddressComparesAddressesNotSpellings) {
  std::vector<std::string> local = {"127.0.0.1", "192.0.2.1", "::1", "fe80::1"};
  EXPECT_TRUE(IsOwnAddress("192.0.2.1", local));
  EXPECT_FALSE(IsOwnAddress("192.0.2.2", local));
  EXPECT_TRUE(IsOwnAddress("fe80:0::0:1", local));
  EXPECT_TRUE(IsOwnAddress("fe80::1%eth0", local));
  EXPECT_FALSE(IsOwnAddress("fe80::2", local));
  EXPECT_FALSE(IsOwnAddress("peer.example", local));  // a host name is never "own"
  EXPECT_FALSE(IsOwnAddress("192.0.2.1", {}));
  // An IPv4 address never equals an IPv6 one with the same leading bytes.
  EXPECT_FALSE(IsOwnAddress("::", {"0.0.0.0"}));
}

TEST(MediaPlanTest, ChoosesTheBroadcastAddress) {
  // Configured: used as is.
  EXPECT_EQ(ChooseBroadcast("192.0.2.1", "255.255.255.0", "192.0.2.255"), "192.0.2.255");
  EXPECT_EQ(ChooseBroadcast("192.0.2.1", "255.255.255.0", "192.0.2.127"), "192.0.2.127");
  // Missing, repeating the address, or 0.0.0.0: computed from the netmask.
  EXPECT_EQ(ChooseBroadcast("192.0.2.1", "255.255.255.0", ""), "192.0.2.255");
  EXPECT_EQ(ChooseBroadcast("192.0.2.1", "255.255.255.0", "192.0.2.1"), "192.0.2.255");
  EXPECT_EQ(ChooseBroadcast("198.51.100.77", "255.255.255.192", "0.0.0.0"), "198.51.100.127");
  EXPECT_EQ(ChooseBroadcast("203.0.113.9", "255.255.0.0", ""), "203.0.255.255");
  // Point-to-point sized subnets have no subnet broadcast.
  EXPECT_EQ(ChooseBroadcast("192.0.2.1", "255.255.255.255", ""), "255.255.255.255");
  EXPECT_EQ(ChooseBroadcast("192.0.2.0", "255.255.255.254", "192.0.2.0"), "255.255.255.255");
  EXPECT_EQ(ChooseBroadcast("", "255.255.255.0", ""), "");
  EXPECT_EQ(ChooseBroadcast("192.0.2.1", "garbage", ""), "");
}

TEST(MediaPlanTest, ClassifiesReceiveResults) {
  EXPECT_EQ(ClassifyReceive(0, 0, 65536), ReceiveOutcome::kDatagram);
  EXPECT_EQ(ClassifyReceive(65536, 0, 65536), ReceiveOutcome::kDatagram);
  EXPECT_EQ(ClassifyReceive(65537, 0, 65536), ReceiveOutcome::kTooBig);
  EXPECT_EQ(ClassifyReceive(-1, EAGAIN, 65536), ReceiveOutcome::kNoMore);
  EXPECT_EQ(ClassifyReceive(-1, EWOULDBLOCK, 65536), ReceiveOutcome::kNoMore);
  EXPECT_EQ(ClassifyReceive(-1, EINTR, 65536), ReceiveOutcome::kInterrupted);
  EXPECT_EQ(ClassifyReceive(-1, ENOBUFS, 65536), ReceiveOutcome::kError);
}

TEST(MediaPlanTest, ReadPauseCoalescesOnlyDenseWakeups) {
  const Duration coalesce = Millis(2);
  // Heartbeats: wake-ups tens of ms apart are read at once.
  EXPECT_EQ(ReadPause(Millis(100), 1, coalesce), Duration::zero());
  EXPECT_EQ(ReadPause(Millis(4), 3, coalesce), Duration::zero());
  // A flood: wake-ups closer than 2 x 2 ms that found datagrams rest 2 ms before the next read;
  // a read after a rest (about 2 ms later) that still finds some keeps resting.
  EXPECT_EQ(ReadPause(Micros(70), 1, coalesce), coalesce);
  EXPECT_EQ(ReadPause(Micros(2100), 25, coalesce), coalesce);
  EXPECT_EQ(ReadPause(Duration::zero(), 1, coalesce), coalesce);
  // The flood is over when a read finds nothing: the socket is watched again at once.
  EXPECT_EQ(ReadPause(Micros(2100), 0, coalesce), Duration::zero());
  EXPECT_EQ(ReadPause(Micros(10), 0, coalesce), Duration::zero());
  // A clock that went backwards is no reason to wait.
  EXPECT_EQ(ReadPause(-Millis(5), 4, coalesce), Duration::zero());
}

}  // namespace
}  // namespace hbd::net
