#include "control/control_request.h"

#include <gtest/gtest.h>

namespace hbd::control {
namespace {

TEST(ParseControlRequest, Status) {
  auto p = ParseControlRequest("status\n");
  ASSERT_TRUE(p.request) << p.error;
  EXPECT_EQ(p.request->verb, "status");
  EXPECT_TRUE(p.request->args.empty());
}

TEST(ParseControlRequest, StandbyWithArgument) {
  auto p = ParseControlRequest("standby  foreign");
  ASSERT_TRUE(p.request) << p.error;
  EXPECT_EQ(p.request->args, std::vector<std::string>{"foreign"});
}

TEST(ParseControlRequest, RoundTrip) {
  ControlRequest r{"takeover", {"all"}};
  auto p = ParseControlRequest(FormatControlRequest(r));
  ASSERT_TRUE(p.request);
  EXPECT_EQ(*p.request, r);
}

TEST(ParseControlRequest, Rejections) {
  EXPECT_EQ(ParseControlRequest("").error, "empty request");
  EXPECT_EQ(ParseControlRequest("   \n").error, "empty request");
  EXPECT_NE(ParseControlRequest("reboot").error.find("unknown request 'reboot'"),
            std::string::npos);
  EXPECT_NE(ParseControlRequest("status extra").error.find("wrong number"), std::string::npos);
  EXPECT_NE(ParseControlRequest("standby a b").error.find("wrong number"), std::string::npos);
  EXPECT_NE(ParseControlRequest("status; rm -rf /").error.find("not allowed"), std::string::npos);
  EXPECT_NE(ParseControlRequest(std::string("sta\0tus", 7)).error.find("not allowed"),
            std::string::npos);
  EXPECT_NE(ParseControlRequest(std::string(5000, 'a')).error.find("longer than"),
            std::string::npos);
  std::string many = "standby";
  for (int i = 0; i < 40; ++i)
    many += " x";
  EXPECT_FALSE(ParseControlRequest(many).request);
}

}  // namespace
}  // namespace hbd::control
