#include "daemon/outdate_service.h"

#include <gtest/gtest.h>

namespace hbd::daemon {
namespace {

TEST(DopValueForOutdateExit, MapsAsDopdDid) {
  EXPECT_EQ(DopValueForOutdateExit(0, false), kPeerOutdated);
  EXPECT_EQ(DopValueForOutdateExit(5, false), kPeerInconsistent);
  EXPECT_EQ(DopValueForOutdateExit(17, false), kPeerIsPrimary);
  EXPECT_EQ(DopValueForOutdateExit(1, false), kOutdateFailed);
  EXPECT_EQ(DopValueForOutdateExit(0, true), kOutdateFailed);
}

// The request side without a network: refusals answer at once, a sent request waits for the
// peer's outdate_rc, and a second request for the same resource is refused with 21.
TEST(OutdateService, RequestFlow) {
  boost::asio::io_context io;
  std::vector<wire::Message> sent;
  OutdateService::Hooks hooks;
  hooks.send = [&](wire::Message m) { sent.push_back(std::move(m)); };
  hooks.peer_alive = [](const std::string& n) { return n == "node2"; };
  OutdateService service(io, "node1", true, hooks);
  std::vector<int> answers;
  auto reply = [&](const nlohmann::json& j) { answers.push_back(j["rc"].get<int>()); };

  service.Request("r0", "node3", 1000, reply);  // not a live peer
  service.Request("r0", "node1", 1000, reply);  // ourselves
  service.Request("bad/name", "node2", 1000, reply);
  EXPECT_EQ(answers, (std::vector<int>{kPeerUnreachable, kPeerUnreachable, kOutdateFailed}));

  service.Request("r0", "NODE2", 1000, reply);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].Get("t"), "start_outdate");
  EXPECT_EQ(sent[0].Get("dest"), "node2");
  EXPECT_EQ(sent[0].Get("dop_res"), "r0");
  service.Request("r0", "node2", 1000, reply);
  EXPECT_EQ(answers.back(), kRequestInProgress);

  wire::Message rc;
  rc.Add("t", "outdate_rc");
  rc.Add("dop_value", "4");
  rc.Add("dop_res", "r0");
  service.OnMessage("node3", rc);  // from the wrong node: ignored
  EXPECT_EQ(answers.size(), 4u);
  service.OnMessage("node2", rc);
  EXPECT_EQ(answers.back(), kPeerOutdated);
}

TEST(OutdateService, SilencePeerDeathAndDisabled) {
  boost::asio::io_context io;
  OutdateService::Hooks hooks;
  hooks.send = [](wire::Message) {};
  hooks.peer_alive = [](const std::string&) { return true; };
  OutdateService service(io, "node1", true, hooks);
  std::vector<int> answers;
  auto reply = [&](const nlohmann::json& j) { answers.push_back(j["rc"].get<int>()); };
  service.Request("r0", "node2", 100, reply);
  io.run_for(std::chrono::milliseconds(500));
  EXPECT_EQ(answers, std::vector<int>{kPeerUnreachable});  // timed out
  service.Request("r1", "node2", 10000, reply);
  service.OnPeerDead("node2");
  EXPECT_EQ(answers.back(), kPeerUnreachable);

  OutdateService off(io, "node1", false, hooks);
  off.Request("r0", "node2", 1000, reply);
  EXPECT_EQ(answers.back(), kPeerUnreachable);
}

}  // namespace
}  // namespace hbd::daemon
