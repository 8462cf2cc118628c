// sd_notify against a real datagram socket standing in for systemd's, and the reporter's timers
// on a real io_context.
#include "daemon/systemd_notify.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/systemd_reporter.h"

namespace hbd::daemon {
namespace {

class SystemdNotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"}) {
      const char* value = std::getenv(name);
      saved_[name] = value ? std::optional<std::string>(value) : std::nullopt;
      unsetenv(name);
    }
    char dir[] = "/tmp/hbd-notify-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/notify";
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd_, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    ASSERT_LT(path_.size(), sizeof addr.sun_path);
    path_.copy(addr.sun_path, path_.size());
    ASSERT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  }
  void TearDown() override {
    for (const auto& [name, value] : saved_) {
      if (value)
        setenv(name.c_str(), value->c_str(), 1);
      else
        unsetenv(name.c_str());
    }
    if (fd_ >= 0)
      close(fd_);
    std::filesystem::remove_all(dir_);
  }
  void Listen() { setenv("NOTIFY_SOCKET", path_.c_str(), 1); }
  // Every datagram waiting now (or arriving within `wait_ms`).
  std::vector<std::string> Received(int wait_ms = 0) {
    std::vector<std::string> out;
    pollfd p{fd_, POLLIN, 0};
    while (poll(&p, 1, wait_ms) == 1) {
      char buf[4096];
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n < 0)
        break;
      out.emplace_back(buf, static_cast<size_t>(n));
      wait_ms = 0;
    }
    return out;
  }

  std::map<std::string, std::optional<std::string>> saved_;
  std::string dir_, path_;
  int fd_ = -1;
};

TEST_F(SystemdNotifyTest, NothingIsSentWithoutNotifySocket) {
  EXPECT_FALSE(SystemdListening());
  EXPECT_EQ(NotifySystemd("READY=1"), "");
  NotifyReady();
  EXPECT_TRUE(Received().empty());
}

TEST_F(SystemdNotifyTest, EachMessageArrivesAsOneDatagram) {
  Listen();
  EXPECT_TRUE(SystemdListening());
  NotifyReady();
  NotifyStopping();
  NotifyWatchdog();
  NotifyStatus("active; holds a\nb; no peers");
  EXPECT_EQ(Received(), (std::vector<std::string>{"READY=1", "STOPPING=1", "WATCHDOG=1",
                                                  "STATUS=active; holds a b; no peers"}));
  // unset_environment=0: a second message still finds the socket.
  EXPECT_STREQ(std::getenv("NOTIFY_SOCKET"), path_.c_str());
}

TEST_F(SystemdNotifyTest, ReloadingCarriesMonotonicTime) {
  Listen();
  timespec before{};
  clock_gettime(CLOCK_MONOTONIC, &before);
  NotifyReloading();
  NotifyReady();
  auto got = Received();
  ASSERT_EQ(got.size(), 2u);
  const std::string prefix = "RELOADING=1\nMONOTONIC_USEC=";
  ASSERT_EQ(got[0].rfind(prefix, 0), 0u) << got[0];
  uint64_t usec = std::stoull(got[0].substr(prefix.size()));
  EXPECT_GE(usec, static_cast<uint64_t>(before.tv_sec) * 1000000u);
  EXPECT_EQ(got[1], "READY=1");
}

TEST_F(SystemdNotifyTest, UnreachableSocketIsAnErrorNotACrash) {
  setenv("NOTIFY_SOCKET", (dir_ + "/nobody").c_str(), 1);
  EXPECT_NE(NotifySystemd("READY=1"), "");
  NotifyWatchdog();  // logged, not thrown
}

TEST_F(SystemdNotifyTest, WatchdogIntervalFollowsLibsystemdRules) {
  EXPECT_EQ(WatchdogInterval(), std::nullopt);
  setenv("WATCHDOG_USEC", "400000", 1);
  EXPECT_EQ(WatchdogInterval(), std::chrono::microseconds(400000));
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  EXPECT_EQ(WatchdogInterval(), std::chrono::microseconds(400000));
  // Meant for another process (e.g. inherited by a child): no watchdog here.
  setenv("WATCHDOG_PID", std::to_string(getpid() + 1).c_str(), 1);
  EXPECT_EQ(WatchdogInterval(), std::nullopt);
  unsetenv("WATCHDOG_PID");
  setenv("WATCHDOG_USEC", "soon", 1);
  EXPECT_EQ(WatchdogInterval(), std::nullopt);
}

TEST_F(SystemdNotifyTest, ReporterSaysReadyPingsTheWatchdogAndSendsStatusChangesOnce) {
  Listen();
  setenv("WATCHDOG_USEC", "100000", 1);
  boost::asio::io_context io;
  std::string line = "up; holds nothing; no peers";
  int asked = 0;
  SystemdReporter reporter(
      io,
      [&] {
        ++asked;
        return line;
      },
      std::chrono::milliseconds(20));
  reporter.Start();
  ASSERT_TRUE(reporter.watchdog_period().has_value());
  EXPECT_EQ(*reporter.watchdog_period(), std::chrono::milliseconds(50));
  auto first = Received();
  ASSERT_GE(first.size(), 2u);
  EXPECT_EQ(first[0], "STATUS=up; holds nothing; no peers");
  EXPECT_EQ(first[1], "READY=1");

  io.run_for(std::chrono::milliseconds(70));
  line = "active; holds a; no peers";
  io.run_for(std::chrono::milliseconds(200));
  auto later = Received();
  int pings = 0, statuses = 0;
  for (const auto& m : first)
    pings += m == "WATCHDOG=1";
  for (const auto& m : later) {
    pings += m == "WATCHDOG=1";
    if (m.rfind("STATUS=", 0) == 0) {
      ++statuses;
      EXPECT_EQ(m, "STATUS=active; holds a; no peers");
    }
  }
  EXPECT_GE(pings, 3);     // 270 ms at one ping per 50 ms
  EXPECT_EQ(statuses, 1);  // polled many times, sent once: only when it changed
  EXPECT_GE(asked, 5);
}

TEST_F(SystemdNotifyTest, ReporterIsIdleWithoutSystemd) {
  setenv("WATCHDOG_USEC", "100000", 1);
  boost::asio::io_context io;
  int asked = 0;
  SystemdReporter reporter(io, [&] {
    ++asked;
    return std::string("x");
  });
  reporter.Start();
  EXPECT_EQ(io.run_for(std::chrono::milliseconds(50)), 0u);  // no timers: nothing to run
  EXPECT_EQ(asked, 0);
  EXPECT_FALSE(reporter.watchdog_period().has_value());
}

}  // namespace
}  // namespace hbd::daemon
