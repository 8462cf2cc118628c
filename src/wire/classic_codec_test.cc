#include "wire/classic_codec.h"

#include <gtest/gtest.h>

#include "wire/frame.h"

namespace hbd::wire {
namespace {

// heartbeat-protocol.md §2.5, as sent on UDP (with its NUL).
const std::string kClassic =
    ">>>\nt=status\nst=active\ndt=7530\nprotocol=1\nsrc=node1\n"
    "(1)srcuuid=AAECAwQFBgcICQoLDA0ODw==\nseq=2a\nhg=5\nts=4f2a1b3c\n"
    "ld=0.00 0.01 0.05 1/123 4567\nttl=3\nauth=2 e0c54c9a7079c473481262483fcc095acdb3e356\n<<<\n" +
    std::string(1, '\0');

std::string Uuid() {
  std::string uuid;
  for (int i = 0; i < 16; ++i)
    uuid += static_cast<char>(i);
  return uuid;
}

TEST(WireClassic, DecodesTheProtocolNotesExample) {
  Message m;
  ASSERT_EQ(DecodeMessage(kClassic, m), std::nullopt);
  ASSERT_EQ(m.size(), 12u);
  EXPECT_EQ(m.Get("t"), "status");
  EXPECT_EQ(m.Find("srcuuid")->type, FieldType::kBinary);
  EXPECT_EQ(m.Get("srcuuid"), Uuid());
  EXPECT_EQ(m.Get("ld"), "0.00 0.01 0.05 1/123 4567");
  EXPECT_EQ(EncodeClassic(m), kClassic);
  EXPECT_EQ(ClassicSignedText(m),
            "t=status\nst=active\ndt=7530\nprotocol=1\nsrc=node1\n"
            "(1)srcuuid=AAECAwQFBgcICQoLDA0ODw==\nseq=2a\nhg=5\nts=4f2a1b3c\n"
            "ld=0.00 0.01 0.05 1/123 4567\nttl=3\n");
}

TEST(WireClassic, NewlinesInStringsTravelAs0x13) {
  Message m;
  m.Add("info", "two\nlines");
  std::string wire = EncodeClassic(m, false);
  EXPECT_EQ(wire, ">>>\ninfo=two\x13lines\n<<<\n");
  Message back;
  ASSERT_EQ(DecodeMessage(wire, back), std::nullopt);
  EXPECT_EQ(back, m);
}

TEST(WireClassic, SkipsEmptyLinesAndSplitsAtFirstEquals) {
  Message m;
  ASSERT_EQ(DecodeMessage(">>>\n\n\na=b=c\nempty=\n<<<\n", m), std::nullopt);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.Get("a"), "b=c");
  EXPECT_EQ(m.Get("empty"), "");
}

TEST(WireClassic, RejectionReasons) {
  Message m;
  EXPECT_EQ(DecodeMessage(">>>\nt=status\n", m), RejectReason::kMalformedField);  // no <<<
  EXPECT_EQ(DecodeMessage(">>>\nnoequals\n<<<\n", m), RejectReason::kMalformedField);
  EXPECT_EQ(DecodeMessage(">>>\n=value\n<<<\n", m), RejectReason::kMalformedField);
  EXPECT_EQ(DecodeMessage(">>>\n(0)a=b\n<<<\n", m), RejectReason::kMalformedField);
  EXPECT_EQ(DecodeMessage(">>>\n(1a=b\n<<<\n", m), RejectReason::kMalformedField);
  EXPECT_EQ(DecodeMessage(">>>\n(1)u=!!!!\n<<<\n", m), RejectReason::kMalformedField);
  EXPECT_EQ(DecodeMessage(">>>\na=b\n<<<\nmore", m), RejectReason::kTrailingGarbage);
  std::string many = ">>>\n";
  for (int i = 0; i < 300; ++i)
    many += "a=b\n";
  EXPECT_EQ(DecodeMessage(many + "<<<\n", m), RejectReason::kTooManyFields);
}

}  // namespace
}  // namespace hbd::wire
