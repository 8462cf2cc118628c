#include "wire/status_message.h"

#include <gtest/gtest.h>

#include "wire/authenticator.h"
#include "wire/frame.h"
#include "wire/test_fixtures.h"

namespace hbd::wire {
namespace {

// Rebuild a captured Heartbeat status datagram from its values: same bytes means a Heartbeat
// peer accepts what hbd sends.
TEST(WireStatusMessage, RebuildsACapturedHeartbeatStatusByteForByte) {
  int rebuilt = 0;
  for (const auto& p : testing::LoadCapturedPackets()) {
    if (p.file.find("-status") == std::string::npos)
      continue;
    SCOPED_TRACE(p.file);
    Message captured;
    ASSERT_EQ(DecodeMessage(p.bytes, captured), std::nullopt);
    ControlFields control;
    control.node = std::string(*captured.Get("src"));
    control.uuid = std::string(*captured.Get("srcuuid"));
    control.seq = std::stoull(std::string(*captured.Get("seq")), nullptr, 16);
    control.generation = std::stoull(std::string(*captured.Get("hg")), nullptr, 16);
    control.wall_seconds = std::stoull(std::string(*captured.Get("ts")), nullptr, 16);
    control.load = std::string(*captured.Get("ld"));
    control.ttl = HeartbeatTtl(2);
    auto deadtime =
        std::chrono::milliseconds(std::stoll(std::string(*captured.Get("dt")), nullptr, 16));
    Message m = BuildStatusMessage(*captured.Get("st"), deadtime, control);
    EXPECT_EQ(Authenticator(testing::CaptureAuth(p.method)).SignAndEncode(m), p.bytes);
    ++rebuilt;
  }
  EXPECT_GE(rebuilt, 15);
}

TEST(WireStatusMessage, NoSeqTypesGetNoSeqAndNoLoad) {
  Message ack;
  ack.Add("t", "NS_ackmsg");
  ack.Add("dest", "node2");
  ack.Add("ackseq", "4");
  ControlFields control;
  control.node = "node1";
  control.uuid = std::string(16, 'u');
  control.seq = 9;
  control.generation = 0x6b05413f;
  control.wall_seconds = 0x6b054141;
  AddControlFields(ack, control);
  std::vector<std::string> names;
  for (const Field& f : ack.fields())
    names.push_back(f.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"t", "dest", "ackseq", "src", "srcuuid", "hg", "ts", "ttl"}));
  EXPECT_TRUE(IsNoSeqType("NS_rexmit"));
  EXPECT_FALSE(IsNoSeqType("status"));
}

TEST(WireStatusMessage, ControlFieldsOverwriteInPlace) {
  ControlFields control;
  control.node = "node1";
  control.uuid = std::string(16, '\0');
  control.seq = 0x2a;
  control.generation = 5;
  Message m = BuildStatusMessage("active", std::chrono::milliseconds(30000), control);
  EXPECT_EQ(m.Get("dt"), "7530");
  EXPECT_EQ(m.Get("seq"), "2a");
  EXPECT_EQ(m.Get("ld"), "n/a");
  control.seq = 0x2b;
  AddControlFields(m, control);
  EXPECT_EQ(m.size(), 11u);
  EXPECT_EQ(m.Get("seq"), "2b");
}

}  // namespace
}  // namespace hbd::wire
