#include "arbiter/report_codec.h"

#include <gtest/gtest.h>

namespace hbd::arbiter {
namespace {

TEST(ReportCodec, RoundTripsThroughAMessage) {
  NodeReport r;
  r.version = 1795508123ull << 20;
  r.seen = {{"node2", 17}, {"node3", 4}};
  r.groups["IPaddr::192.0.2.10/24/eth0"] = {GroupState::kRunning, ""};
  r.groups["drbddisk::r0"] = {GroupState::kReleased, "node2"};
  wire::Message m;
  m.Add("t", "status");
  PutReport(r, m);
  EXPECT_EQ(m.Get("hbd_seen"), "node2:17 node3:4");
  auto back = GetReport(m);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, r);
}

TEST(ReportCodec, HeartbeatStatusHasNoReport) {
  wire::Message m;
  m.Add("t", "status");
  m.Add("st", "active");
  EXPECT_FALSE(GetReport(m));
}

TEST(ReportCodec, MalformedReportsAreRefused) {
  for (auto [field, value] :
       std::vector<std::pair<const char*, const char*>>{{"hbd_rv", "x"},
                                                        {"hbd_seen", "node2"},
                                                        {"hbd_seen", "node2:x"},
                                                        {"hbd_g0", "running"},
                                                        {"hbd_g0", "bogus key"},
                                                        {"hbd_g0", "released> key"}}) {
    wire::Message m;
    m.Add("hbd_rv", "1");
    m.Set(field, value);
    EXPECT_FALSE(GetReport(m)) << field << "=" << value;
  }
}

TEST(ReportCodec, EmptyReportIsValid) {
  wire::Message m;
  PutReport(NodeReport{}, m);
  auto back = GetReport(m);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->groups.empty());
}

}  // namespace
}  // namespace hbd::arbiter
