#include "resources/native_ipaddr.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace hbd::resources {
namespace {

namespace fs = std::filesystem;

class NativeIpaddrTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/hbd-native-ipaddr-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    shipped_ = root_ / "shipped";
    operator_ = root_ / "etc-resource.d";
    fs::create_directories(shipped_);
    fs::create_directories(operator_);
    Script(shipped_ / "IPaddr");
    Script(shipped_ / "Filesystem");
  }
  void TearDown() override { fs::remove_all(root_); }

  static void Script(const fs::path& path) {
    std::ofstream(path) << "#!/bin/sh\nexit 0\n";
    fs::permissions(path, fs::perms::owner_all);
  }
  static ActionRequest Request(const std::string& type, const fs::path& script,
                               std::vector<std::string> args = {"192.0.2.50/24"}) {
    ActionRequest r;
    r.resource.type = type;
    r.resource.args = std::move(args);
    r.script_path = script.string();
    r.action = Action::kStart;
    return r;
  }

  boost::asio::io_context io_;
  fs::path root_, shipped_, operator_;
};

TEST_F(NativeIpaddrTest, OnlyTheShippedIpaddrIsRunNatively) {
  NativeIpaddr native(io_, {shipped_.string()});
  EXPECT_TRUE(native.Handles(Request("IPaddr", shipped_ / "IPaddr")));
  // An operator's own script of the same name (e.g. Heartbeat's) stays a script.
  Script(operator_ / "IPaddr");
  EXPECT_FALSE(native.Handles(Request("IPaddr", operator_ / "IPaddr")));
  // A link to the shipped script is the shipped script, under either name.
  fs::create_symlink(shipped_ / "IPaddr", operator_ / "IPaddr2");
  EXPECT_TRUE(native.Handles(Request("IPaddr2", operator_ / "IPaddr2")));
  fs::create_symlink(shipped_ / "IPaddr", root_ / "IPaddr2");
  EXPECT_TRUE(native.Handles(Request("IPaddr2", root_ / "IPaddr2")));
  // Other types, other scripts, OCF style and unresolved scripts are never native.
  EXPECT_FALSE(native.Handles(Request("Filesystem", shipped_ / "IPaddr")));
  EXPECT_FALSE(native.Handles(Request("IPaddr", shipped_ / "Filesystem")));
  EXPECT_FALSE(native.Handles(Request("IPaddr", "")));
  EXPECT_FALSE(native.Handles(Request("ocf:heartbeat:IPaddr", shipped_ / "IPaddr")));
  EXPECT_FALSE(native.Handles(Request("OCF", shipped_ / "IPaddr", {"IPaddr", "ip=192.0.2.5"})));
}

TEST_F(NativeIpaddrTest, NothingIsNativeWithoutAShippedIpaddr) {
  NativeIpaddr native(io_, {operator_.string(), (root_ / "missing").string()});
  EXPECT_FALSE(native.Handles(Request("IPaddr", shipped_ / "IPaddr")));
  EXPECT_FALSE(native.Handles(Request("IPaddr", operator_ / "IPaddr")));
}

// Bad arguments fail as the script does (exit 2, its message) before any socket is opened,
// and `done` comes once, later, from the io_context.
TEST_F(NativeIpaddrTest, BadArgumentsExitTwoAndDoneComesFromTheLoop) {
  NativeIpaddr native(io_, {shipped_.string()});
  int calls = 0;
  ActionResult got;
  native.Run(Request("IPaddr", shipped_ / "IPaddr", {"192.0.2.500/24"}),
             [&](const ActionResult& r) {
               ++calls;
               got = r;
             });
  EXPECT_EQ(calls, 0);
  io_.run();
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(got.ok);
  EXPECT_FALSE(got.spawn_failed);
  EXPECT_EQ(got.exit_code, 2);
  EXPECT_EQ(got.error, "start failed with exit code 2");
  EXPECT_EQ(got.output, "IPaddr: ERROR: '192.0.2.500' is not an IPv4 address\n");

  ActionResult usage;
  native.Run(Request("IPaddr", shipped_ / "IPaddr", {"192.0.2.5", "extra"}),
             [&](const ActionResult& r) { usage = r; });
  io_.restart();
  io_.run();
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_NE(usage.output.find("usage: IPaddr"), std::string::npos);
}

TEST_F(NativeIpaddrTest, StatusWithBadArgumentsSaysNotRunning) {
  NativeIpaddr native(io_, {shipped_.string()});
  ActionRequest request = Request("IPaddr", shipped_ / "IPaddr", {"192.0.2.5/99"});
  request.action = Action::kStatus;
  ActionResult got;
  got.running = true;
  native.Run(request, [&](const ActionResult& r) { got = r; });
  io_.run();
  EXPECT_TRUE(got.ok);  // Heartbeat reads status text, not exit codes
  EXPECT_FALSE(got.running);
}

TEST_F(NativeIpaddrTest, DoneIsNotCalledOnceDestroyed) {
  int calls = 0;
  {
    NativeIpaddr native(io_, {shipped_.string()});
    native.Run(Request("IPaddr", shipped_ / "IPaddr", {"bad"}),
               [&](const ActionResult&) { ++calls; });
  }
  io_.run();
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace hbd::resources
