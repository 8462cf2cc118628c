#include "wire/digest.h"

#include <gtest/gtest.h>

namespace hbd::wire {
namespace {

using config::AuthMethod;

// The signed text of the status example in heartbeat-protocol.md §2.5/§2.6.
const std::string kSigned =
    "t=status\nst=active\ndt=7530\nprotocol=1\nsrc=node1\n(1)srcuuid=AAECAwQFBgcICQoLDA0ODw==\n"
    "seq=2a\nhg=5\nts=4f2a1b3c\nld=0.00 0.01 0.05 1/123 4567\nttl=3\n";

TEST(WireDigest, ProtocolNotesVectors) {
  EXPECT_EQ(ComputeDigest(AuthMethod::kCrc, "", kSigned), "1b2b8dac");
  EXPECT_EQ(ComputeDigest(AuthMethod::kMd5, "Hello!", kSigned), "8a90f64c15327e3714da8df3ca5bfdd3");
  EXPECT_EQ(ComputeDigest(AuthMethod::kSha1, "HI!", kSigned),
            "e0c54c9a7079c473481262483fcc095acdb3e356");
}

TEST(WireDigest, Rfc2202HmacVectors) {
  EXPECT_EQ(ComputeDigest(AuthMethod::kSha1, "Jefe", "what do ya want for nothing?"),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(ComputeDigest(AuthMethod::kMd5, "Jefe", "what do ya want for nothing?"),
            "750c783e6ab0b503eaa86e310a5db738");
}

TEST(WireDigest, CrcHasNoLeadingZerosAndStreamsLikeOneShot) {
  // CRC of empty input is ~0.
  EXPECT_EQ(ComputeDigest(AuthMethod::kCrc, "", ""), "ffffffff");
  DigestStream stream(AuthMethod::kSha1, "k");
  stream.Update("hello ");
  stream.Update("");
  stream.Update("world");
  EXPECT_EQ(stream.Finish().view(), ComputeDigest(AuthMethod::kSha1, "k", "hello world"));
  for (int i = 0; i < 64; ++i) {
    std::string hex = ComputeDigest(AuthMethod::kCrc, "", std::string(static_cast<size_t>(i), 'x'));
    ASSERT_FALSE(hex.empty());
    EXPECT_NE(hex[0], '0') << hex;
    EXPECT_LE(hex.size(), 8u);
  }
}

TEST(WireDigest, ResetStartsANewDigestWithTheSameKey) {
  for (AuthMethod method : {AuthMethod::kSha1, AuthMethod::kMd5, AuthMethod::kCrc}) {
    DigestStream stream(method, "Jefe");
    stream.Update("something else");
    stream.Finish();
    for (std::string text : {"what do ya want for nothing?", "", "a second message"}) {
      stream.Reset();
      stream.Update(text);
      EXPECT_EQ(stream.Finish().view(), ComputeDigest(method, "Jefe", text)) << text;
    }
    // Reset in the middle of a digest discards what was fed so far.
    stream.Reset();
    stream.Update("half of a");
    stream.Reset();
    stream.Update("whole");
    EXPECT_EQ(stream.Finish().view(), ComputeDigest(method, "Jefe", "whole"));
  }
}

}  // namespace
}  // namespace hbd::wire
