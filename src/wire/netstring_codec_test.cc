#include "wire/netstring_codec.h"

#include <gtest/gtest.h>

#include "wire/frame.h"

namespace hbd::wire {
namespace {

const std::string kExample =
    "###\n11:(0)t=status,10:(0)st=init,9:(0)dt=fa0,27:(1)srcuuid=0123456789abcdef,"
    "13:(9)future=x=y,%%%\n42:1 ea4c06476cfe62db42114d93407b9cb995411fbf,";

std::optional<RejectReason> Parse(std::string_view bytes, Limits limits = Limits()) {
  Frame frame;
  return ParseFrame(bytes, limits, frame);
}

TEST(WireNetstring, ParsesFieldsSignedBytesAndTrailer) {
  Frame frame;
  ASSERT_EQ(ParseFrame(kExample, Limits(), frame), std::nullopt);
  EXPECT_EQ(frame.format, WireFormat::kNetstring);
  ASSERT_EQ(frame.fields.size(), 5u);
  EXPECT_EQ(frame.fields[2].name, "dt");
  EXPECT_EQ(frame.fields[2].value, "fa0");
  EXPECT_EQ(frame.fields[3].type, FieldType::kBinary);
  EXPECT_EQ(frame.fields[3].value, "0123456789abcdef");
  EXPECT_EQ(static_cast<int>(frame.fields[4].type), 9);  // unknown type, carried raw
  EXPECT_EQ(frame.fields[4].value, "x=y");               // split at the first '='
  EXPECT_EQ(frame.trailer, "1 ea4c06476cfe62db42114d93407b9cb995411fbf");
  EXPECT_TRUE(frame.signed_bytes.starts_with("###\n"));
  EXPECT_TRUE(frame.signed_bytes.ends_with(",%%%\n"));
}

TEST(WireNetstring, RoundTripsByteForByte) {
  Message m;
  ASSERT_EQ(DecodeMessage(kExample, m), std::nullopt);
  std::string body = EncodeNetstringBody(m);
  EXPECT_EQ(body + EncodeNetstring("1 ea4c06476cfe62db42114d93407b9cb995411fbf"), kExample);
}

TEST(WireNetstring, ToleratesOneTrailingNul) {
  EXPECT_EQ(Parse(kExample + std::string(1, '\0')), std::nullopt);
  EXPECT_EQ(Parse(kExample + std::string(2, '\0')), RejectReason::kTrailingGarbage);
  EXPECT_EQ(Parse(kExample + "x"), RejectReason::kTrailingGarbage);
}

TEST(WireNetstring, RejectionReasons) {
  EXPECT_EQ(Parse(""), RejectReason::kTooShort);
  EXPECT_EQ(Parse("###\n%%%"), RejectReason::kTooShort);
  EXPECT_EQ(Parse("GET / HTTP/1.0\r\n"), RejectReason::kBadMagic);
  EXPECT_EQ(Parse("###\n%%%\n"), RejectReason::kNoDigest);
  EXPECT_EQ(Parse("###\n%%%\n5:1 abc"), RejectReason::kMalformedNetstring);
  EXPECT_EQ(Parse("###\n11:(0)t=status"), RejectReason::kMalformedNetstring);        // no comma
  EXPECT_EQ(Parse("###\n12:(0)t=status,%%%\n"), RejectReason::kMalformedNetstring);  // len wrong
  EXPECT_EQ(Parse("###\n99999999:(0)t=x,%%%\n"), RejectReason::kMalformedNetstring);
  EXPECT_EQ(Parse("###\n:(0)t=x,%%%\n"), RejectReason::kMalformedNetstring);
  EXPECT_EQ(Parse("###\n11:(0)t=status,"), RejectReason::kMalformedNetstring);  // no %%%
  EXPECT_EQ(Parse("###\n8:t=status,%%%\n3:1 a,"), RejectReason::kMalformedField);
  EXPECT_EQ(Parse("###\n7:(0)=abc,%%%\n3:1 a,"), RejectReason::kMalformedField);
  EXPECT_EQ(Parse("###\n6:(0)abc,%%%\n3:1 a,"), RejectReason::kMalformedField);
  EXPECT_EQ(Parse("###\n6:(x)a=b,%%%\n3:1 a,"), RejectReason::kMalformedField);
  EXPECT_EQ(Parse("###\n5:(0)a=,%%%\n3:1 a,"), std::nullopt);  // empty value is fine
}

TEST(WireNetstring, Limits) {
  std::string many = "###\n";
  for (int i = 0; i < 257; ++i)
    many += "5:(0)a=,";
  many += "%%%\n3:1 a,";
  EXPECT_EQ(Parse(many), RejectReason::kTooManyFields);
  Limits small;
  small.max_fields = 300;
  EXPECT_EQ(Parse(many, small), std::nullopt);

  std::string name(257, 'n');
  std::string long_name =
      "###\n" + std::to_string(name.size() + 4) + ":(0)" + name + "=,%%%\n3:1 a,";
  EXPECT_EQ(Parse(long_name), RejectReason::kFieldNameTooLong);

  std::string big = "###\n" + std::string(64 * 1024, 'x');
  EXPECT_EQ(Parse(big), RejectReason::kOversize);
}

}  // namespace
}  // namespace hbd::wire
