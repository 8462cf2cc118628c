#include "wire/text_codec.h"

#include <gtest/gtest.h>

namespace hbd::wire {
namespace {

TEST(WireBase64, Rfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Decode("Zm9vYg=="), "foob");
  EXPECT_EQ(Base64Decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(Base64Decode(""), "");
}

TEST(WireBase64, UuidFromProtocolNotes) {
  std::string uuid;
  for (int i = 0; i < 16; ++i)
    uuid += static_cast<char>(i);
  EXPECT_EQ(Base64Encode(uuid), "AAECAwQFBgcICQoLDA0ODw==");
  EXPECT_EQ(Base64Decode("AAECAwQFBgcICQoLDA0ODw=="), uuid);
}

TEST(WireBase64, RejectsBadInput) {
  EXPECT_FALSE(Base64Decode("Zm9"));         // not a multiple of 4
  EXPECT_FALSE(Base64Decode("Zm=v"));        // data after padding
  EXPECT_FALSE(Base64Decode("Z==="));        // too much padding
  EXPECT_FALSE(Base64Decode("Zm9v\nYmFy"));  // line break
  EXPECT_FALSE(Base64Decode("Zm9*"));
}

TEST(WireHex, ParseAndFormat) {
  EXPECT_EQ(ParseHex("2a"), 42u);
  EXPECT_EQ(ParseHex("6B04D1F5"), 0x6b04d1f5u);
  EXPECT_EQ(ParseHex("ffffffffffffffff"), UINT64_MAX);
  EXPECT_FALSE(ParseHex(""));
  EXPECT_FALSE(ParseHex("0x2a"));
  EXPECT_FALSE(ParseHex("2a "));
  EXPECT_FALSE(ParseHex("-1"));
  EXPECT_FALSE(ParseHex("10000000000000000"));  // 17 digits
  EXPECT_EQ(FormatHex(0), "0");
  EXPECT_EQ(FormatHex(4000), "fa0");
  EXPECT_EQ(FormatHex(0x6b04d1f5), "6b04d1f5");
}

}  // namespace
}  // namespace hbd::wire
