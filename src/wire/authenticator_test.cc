#include "wire/authenticator.h"

#include <gtest/gtest.h>

#include "wire/classic_codec.h"
#include "wire/netstring_codec.h"

namespace hbd::wire {
namespace {

config::AuthConfig Keys() {
  config::AuthConfig auth;
  auth.sign_index = 2;
  auth.keys.push_back({1, config::AuthMethod::kMd5, "Hello!", {}});
  auth.keys.push_back({2, config::AuthMethod::kSha1, "HI!", {}});
  auth.keys.push_back({3, config::AuthMethod::kCrc, "", {}});
  return auth;
}

// The 11 fields of the heartbeat-protocol.md §2.5 example, before `auth`.
Message Example() {
  std::string uuid;
  for (int i = 0; i < 16; ++i)
    uuid += static_cast<char>(i);
  Message m;
  m.Add("t", "status");
  m.Add("st", "active");
  m.Add("dt", "7530");
  m.Add("protocol", "1");
  m.Add("src", "node1");
  m.Add("srcuuid", uuid, FieldType::kBinary);
  m.Add("seq", "2a");
  m.Add("hg", "5");
  m.Add("ts", "4f2a1b3c");
  m.Add("ld", "0.00 0.01 0.05 1/123 4567");
  m.Add("ttl", "3");
  return m;
}

TEST(WireAuthenticator, SignsLikeTheProtocolNotesVector) {
  Authenticator auth(Keys());
  Message m = Example();
  std::string datagram = auth.SignAndEncode(m);
  EXPECT_EQ(m.Get("auth"), "2 e0c54c9a7079c473481262483fcc095acdb3e356");
  EXPECT_EQ(m.fields().back().name, "auth");
  EXPECT_TRUE(datagram.ends_with("%%%\n42:2 d9267975d379e4f52ba282e6cf5217917f3a5dc7,"));
  EXPECT_TRUE(datagram.starts_with(
      "###\n11:(0)t=status,12:(0)st=active,10:(0)dt=7530,13:(0)protocol=1,12:(0)src=node1,"
      "27:(1)srcuuid="));
  Frame frame;
  ASSERT_EQ(ParseFrame(datagram, Limits(), frame), std::nullopt);
  EXPECT_EQ(auth.Verify(frame), std::nullopt);
  EXPECT_EQ(auth.VerifyAuthField(m), std::nullopt);
}

TEST(WireAuthenticator, ResigningReplacesTheAuthFieldInPlace) {
  Authenticator auth(Keys());
  Message m = Example();
  auth.SignAndEncode(m);
  m.Set("st", "dead");
  auth.SignAndEncode(m);
  EXPECT_EQ(m.size(), 12u);
  EXPECT_EQ(auth.VerifyAuthField(m), std::nullopt);
}

TEST(WireAuthenticator, AcceptsAnyListedKey) {
  config::AuthConfig md5 = Keys();
  md5.sign_index = 1;
  config::AuthConfig crc = Keys();
  crc.sign_index = 3;
  Authenticator receiver(Keys());
  for (const config::AuthConfig& sender_keys : {md5, crc}) {
    Message m = Example();
    std::string datagram = Authenticator(sender_keys).SignAndEncode(m);
    Frame frame;
    ASSERT_EQ(ParseFrame(datagram, Limits(), frame), std::nullopt);
    EXPECT_EQ(receiver.Verify(frame), std::nullopt);
  }
  Message m = Example();
  Authenticator(crc).SignAndEncode(m);
  EXPECT_EQ(m.Get("auth"), "3 1b2b8dac");  // the protocol notes' crc vector
}

TEST(WireAuthenticator, RejectionReasons) {
  Authenticator auth(Keys());
  EXPECT_EQ(auth.VerifyToken("", "x"), RejectReason::kNoDigest);
  EXPECT_EQ(auth.VerifyToken("2", "x"), RejectReason::kBadDigestFormat);
  EXPECT_EQ(auth.VerifyToken("x abc", "x"), RejectReason::kBadDigestFormat);
  EXPECT_EQ(auth.VerifyToken("2 ", "x"), RejectReason::kBadDigestFormat);
  EXPECT_EQ(auth.VerifyToken("123 abc", "x"), RejectReason::kBadDigestFormat);
  EXPECT_EQ(auth.VerifyToken("7 abc", "x"), RejectReason::kUnknownKeyIndex);
  EXPECT_EQ(auth.VerifyToken("2 abc", "x"), RejectReason::kBadDigest);
  Message unsigned_message = Example();
  EXPECT_EQ(auth.VerifyAuthField(unsigned_message), RejectReason::kNoDigest);
}

TEST(WireAuthenticator, ClassicFramesAreJudgedByTheirAuthField) {
  Authenticator auth(Keys());
  Message m = Example();
  auth.SignAndEncode(m);
  std::string classic = EncodeClassic(m);
  Frame frame;
  ASSERT_EQ(ParseFrame(classic, Limits(), frame), std::nullopt);
  EXPECT_EQ(auth.Verify(frame), std::nullopt);
  classic[classic.find("active")] = 'A';
  ASSERT_EQ(ParseFrame(classic, Limits(), frame), std::nullopt);
  EXPECT_EQ(auth.Verify(frame), RejectReason::kBadDigest);
  Message no_auth = Example();
  std::string bare = EncodeClassic(no_auth);
  ASSERT_EQ(ParseFrame(bare, Limits(), frame), std::nullopt);
  EXPECT_EQ(auth.Verify(frame), RejectReason::kNoDigest);
}

}  // namespace
}  // namespace hbd::wire
