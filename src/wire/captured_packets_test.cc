// Datagrams captured from a real Heartbeat 3.0.6 (tests/data/wire/README.md): decode, check both
// digests, re-encode byte for byte, and refuse any single flipped byte.
#include <gtest/gtest.h>

#include "wire/authenticator.h"
#include "wire/classic_codec.h"
#include "wire/frame.h"
#include "wire/netstring_codec.h"
#include "wire/test_fixtures.h"

namespace hbd::wire {
namespace {

using testing::CaptureAuth;
using testing::LoadCapturedPackets;

TEST(WireCapturedPackets, ThereAreEnoughOfEachMethod) {
  int count[3] = {};
  for (const auto& p : LoadCapturedPackets())
    ++count[static_cast<int>(p.method)];
  EXPECT_GE(count[static_cast<int>(config::AuthMethod::kSha1)], 40);
  EXPECT_GE(count[static_cast<int>(config::AuthMethod::kMd5)], 10);
  EXPECT_GE(count[static_cast<int>(config::AuthMethod::kCrc)], 10);
}

TEST(WireCapturedPackets, DecodeVerifyBothDigestsAndReencode) {
  for (const auto& p : LoadCapturedPackets()) {
    SCOPED_TRACE(p.file);
    Authenticator auth(CaptureAuth(p.method));
    Frame frame;
    ASSERT_EQ(ParseFrame(p.bytes, Limits(), frame), std::nullopt);
    EXPECT_EQ(auth.Verify(frame), std::nullopt);  // the trailer
    Message m;
    ASSERT_EQ(FrameToMessage(frame, m), std::nullopt);
    EXPECT_EQ(auth.VerifyAuthField(m), std::nullopt);  // the classic auth field
    EXPECT_TRUE(m.Has("t"));
    EXPECT_TRUE(m.Has("src"));
    EXPECT_EQ(m.Find("srcuuid")->type, FieldType::kBinary);
    EXPECT_EQ(m.Get("srcuuid")->size(), 16u);
    EXPECT_EQ(m.fields().back().name, "auth");

    // Re-encoding gives the same bytes, and so does signing afresh with the same key.
    std::string body = EncodeNetstringBody(m);
    EXPECT_EQ(body + EncodeNetstring(frame.trailer), p.bytes);
    Message resigned = m;
    EXPECT_EQ(auth.SignAndEncode(resigned), p.bytes);

    // The classic form round-trips and carries a valid auth field too.
    Message from_classic;
    ASSERT_EQ(DecodeMessage(EncodeClassic(m), from_classic), std::nullopt);
    EXPECT_EQ(from_classic, m);
  }
}

TEST(WireCapturedPackets, AnyFlippedByteIsRefused) {
  for (const auto& p : LoadCapturedPackets()) {
    SCOPED_TRACE(p.file);
    Authenticator auth(CaptureAuth(p.method));
    Frame frame;
    for (size_t i = 0; i < p.bytes.size(); ++i) {
      std::string bad = p.bytes;
      bad[i] = static_cast<char>(bad[i] ^ 0x01);
      auto error = ParseFrame(bad, Limits(), frame);
      if (!error)
        error = auth.Verify(frame);
      EXPECT_TRUE(error.has_value()) << "byte " << i << " flipped was accepted";
    }
  }
}

TEST(WireCapturedPackets, WrongKeyIsRefused) {
  for (const auto& p : LoadCapturedPackets()) {
    if (p.method == config::AuthMethod::kCrc)
      continue;
    SCOPED_TRACE(p.file);
    config::AuthConfig keys = CaptureAuth(p.method);
    keys.keys[0].secret = "labsecreT";
    Frame frame;
    ASSERT_EQ(ParseFrame(p.bytes, Limits(), frame), std::nullopt);
    EXPECT_EQ(Authenticator(keys).Verify(frame), RejectReason::kBadDigest);
  }
}

}  // namespace
}  // namespace hbd::wire
