#include "util/log.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hbd {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Captures what the logger writes to stderr while it lives.
class StderrCapture {
 public:
  StderrCapture() {
    std::fflush(stderr);
    saved_ = ::dup(2);
    std::FILE* f = std::tmpfile();
    file_ = f;
    ::dup2(::fileno(f), 2);
  }
  ~StderrCapture() { Restore(); }
  std::string Text() {
    Restore();
    std::rewind(file_);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, file_)) > 0)
      out.append(buf, n);
    return out;
  }

 private:
  void Restore() {
    if (saved_ < 0)
      return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }
  int saved_ = -1;
  std::FILE* file_ = nullptr;
};

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/hbd-log-test-XXXXXX";
    dir_ = ::mkdtemp(pattern);
  }
  void TearDown() override {
    ConfigureLogging(LogSettings{});  // back to plain stderr for the other tests
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
};

TEST_F(LogTest, LogfileGetsEventsDebugfileGetsEverything) {
  LogSettings s;
  s.logfile = dir_ + "/ha-log";
  s.debugfile = dir_ + "/ha-debug";
  s.debug = 1;
  s.to_stderr = false;
  ConfigureLogging(s);
  LogNotice("node node2: active -> dead (timeout)");
  LogDebug("packet details");
  std::string log = Slurp(s.logfile), debug = Slurp(s.debugfile);
  EXPECT_NE(log.find("notice: node node2: active -> dead (timeout)"), std::string::npos) << log;
  EXPECT_EQ(log.find("packet details"), std::string::npos) << "debug lines stay out of logfile";
  EXPECT_NE(debug.find("packet details"), std::string::npos) << debug;
  EXPECT_NE(debug.find("active -> dead"), std::string::npos) << debug;
}

TEST_F(LogTest, DebugLinesAreDroppedUnlessDebugIsOn) {
  LogSettings s;
  s.debugfile = dir_ + "/ha-debug";
  s.to_stderr = false;
  ConfigureLogging(s);
  EXPECT_FALSE(DebugEnabled());
  LogDebug("invisible");
  EXPECT_EQ(Slurp(s.debugfile).find("invisible"), std::string::npos);
}

TEST_F(LogTest, JournaldLinesCarryPriorities) {
  LogSettings s;
  s.journald = true;
  StderrCapture capture;
  ConfigureLogging(s);
  LogCrit("group g could not be stopped");
  LogWarning("late heartbeat");
  LogInfo("resource r: started");
  std::string text = capture.Text();
  EXPECT_NE(text.find("<2>CRIT: group g could not be stopped\n"), std::string::npos) << text;
  EXPECT_NE(text.find("<4>WARN: late heartbeat\n"), std::string::npos) << text;
  EXPECT_NE(text.find("<6>info: resource r: started\n"), std::string::npos) << text;
}

TEST_F(LogTest, AFullDiskOrMissingDirectoryNeverStopsLogging) {
  LogSettings s;
  s.logfile = "/dev/full";  // every write fails with ENOSPC
  s.debugfile = dir_ + "/no/such/dir/ha-debug";
  s.to_stderr = false;
  ConfigureLogging(s);
  for (int i = 0; i < 100; ++i)
    LogWarning("still alive");
  SUCCEED();  // reaching here without a crash or an exception is the point
  LogSettings ok;
  ok.logfile = dir_ + "/after";
  ok.to_stderr = false;
  ConfigureLogging(ok);
  LogNotice("after the full disk");
  EXPECT_NE(Slurp(ok.logfile).find("after the full disk"), std::string::npos);
}

// A file size limit stands in for a full disk: writes past it fail (EFBIG, SIGXFSZ ignored).
TEST_F(LogTest, LinesLostToAFullDiskAreCountedAndReportedWhenThereIsRoomAgain) {
  LogSettings s;
  s.logfile = dir_ + "/ha-log";
  s.to_stderr = false;
  ConfigureLogging(s);
  LogNotice("before the disk fills");
  const auto before = std::filesystem::file_size(s.logfile);
  struct sigaction ignore = {}, saved_action = {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGXFSZ, &ignore, &saved_action), 0);
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  struct rlimit full = saved;
  full.rlim_cur = before + 10;  // room for part of one more line
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &full), 0);
  for (int i = 0; i < 3; ++i)
    LogWarning("lost while the disk is full " + std::to_string(i));
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
  ASSERT_EQ(::sigaction(SIGXFSZ, &saved_action, nullptr), 0);
  LogNotice("after the disk has room again");
  const std::string text = Slurp(s.logfile);
  EXPECT_NE(text.find("before the disk fills\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("lost while the disk is full 1"), std::string::npos) << text;
  // The first line's short write is ended, so the note starts a line of its own.
  const auto note = text.find("\n", before) + 1;
  EXPECT_NE(text.find("WARN: 3 log lines lost (File too large)\n", note), std::string::npos)
      << text;
  EXPECT_LT(text.find("log lines lost"), text.find("after the disk has room again")) << text;
  EXPECT_EQ(text.substr(text.size() - 30), "after the disk has room again\n");
  // Nothing lost since: no second note.
  LogNotice("one more");
  EXPECT_EQ(Slurp(s.logfile).find("lost", text.size()), std::string::npos);
}

}  // namespace
}  // namespace hbd
