#include "app/command_line.h"

#include <gtest/gtest.h>

namespace hbd::app {
namespace {

TEST(CommandLine, Defaults) {
  auto r = ParseCommandLine({});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.options.config_dir, "/etc/ha.d");
  EXPECT_EQ(r.options.socket_path, "/run/hbd/hbd.sock");
  EXPECT_FALSE(r.options.daemon);
  EXPECT_FALSE(r.options.check_config);
  EXPECT_FALSE(r.options.no_realtime);
}

TEST(CommandLine, DashLTurnsRealtimeOffAsInHeartbeat) {
  EXPECT_TRUE(ParseCommandLine({"-l"}).options.no_realtime);
  EXPECT_TRUE(ParseCommandLine({"--no-realtime"}).options.no_realtime);
}

TEST(CommandLine, AllOptions) {
  auto r = ParseCommandLine(
      {"-c", "/tmp/ha", "--node", "node2", "--check-config", "--socket", "/tmp/s", "--daemon"});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.options.config_dir, "/tmp/ha");
  EXPECT_EQ(r.options.node, "node2");
  EXPECT_TRUE(r.options.check_config);
  EXPECT_TRUE(r.options.daemon);
  EXPECT_EQ(r.options.socket_path, "/tmp/s");
}

TEST(CommandLine, YamlInsteadOfDirectory) {
  auto r = ParseCommandLine({"--config", "/etc/ha.d/hbd.yaml"});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.options.config_yaml, "/etc/ha.d/hbd.yaml");
}

TEST(CommandLine, UsageErrors) {
  EXPECT_NE(ParseCommandLine({"-c", "/a", "--config", "/b.yaml"}).error, "");
  EXPECT_NE(ParseCommandLine({"--bogus"}).error, "");
  EXPECT_NE(ParseCommandLine({"--node"}).error, "");
  EXPECT_NE(ParseCommandLine({"--check-config", "--export-yaml"}).error, "");
  EXPECT_NE(ParseCommandLine({"stray"}).error, "");
}

TEST(CommandLine, HelpMentionsEveryOption) {
  auto r = ParseCommandLine({"--help"});
  EXPECT_TRUE(r.options.help);
  for (const char* opt :
       {"--config", "--node", "--check-config", "--daemon", "--no-realtime", "--socket"}) {
    EXPECT_NE(r.help_text.find(opt), std::string::npos) << opt;
  }
}

}  // namespace
}  // namespace hbd::app
