// ActionRunner with real processes: scripts written into a temporary directory.
#include "resources/action_runner.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace hbd::resources {
namespace {

using std::chrono::milliseconds;

// True while `pid` names a process that is not a zombie.
bool Alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line))
    return false;
  size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] != 'Z';
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

size_t OpenFdCount() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
    ++n;
  return n;
}

class ActionRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/hbd-runner-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    for (pid_t pid : to_kill_)
      kill(pid, SIGKILL);
    std::filesystem::remove_all(dir_);
  }

  std::string WriteScript(const std::string& name, const std::string& body, int mode = 0755) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), static_cast<mode_t>(mode));
    return path;
  }

  ActionRequest Request(const std::string& path, Action action, std::vector<std::string> args = {},
                        const std::string& type = "") {
    ActionRequest r;
    r.resource.type = type.empty() ? std::filesystem::path(path).filename().string() : type;
    r.resource.args = std::move(args);
    r.script_path = path;
    r.action = action;
    r.timeout = milliseconds(5000);
    r.kill_grace = milliseconds(200);
    r.local_node = "node1";
    r.config_dir = dir_;
    return r;
  }

  ActionResult RunOne(ActionRunner& runner, const ActionRequest& request) {
    std::optional<ActionResult> result;
    int calls = 0;
    runner.Run(request, [&](const ActionResult& r) {
      result = r;
      ++calls;
    });
    EXPECT_FALSE(result.has_value()) << "done must not be called from inside Run";
    io_.restart();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!result && std::chrono::steady_clock::now() < deadline)
      io_.run_one_for(milliseconds(100));
    io_.poll();
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(result.has_value()) << "no result within 10 s";
    return result.value_or(ActionResult{});
  }

  ActionResult RunOne(const ActionRequest& request) {
    ActionRunner runner(io_);
    return RunOne(runner, request);
  }

  boost::asio::io_context io_;
  std::string dir_;
  std::vector<pid_t> to_kill_;
};

TEST_F(ActionRunnerTest, StartAndStopSucceedOnExitZeroOnly) {
  std::string ok = WriteScript("good", "echo started \"$1\"\nexit 0");
  std::string bad = WriteScript("bad", "echo failing >&2\nexit 3");
  ActionResult r = RunOne(Request(ok, Action::kStart));
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(r.spawn_failed);
  EXPECT_EQ(r.output, "started start\n");
  EXPECT_LT(r.duration, milliseconds(1000));
  r = RunOne(Request(bad, Action::kStop));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.spawn_failed);
  EXPECT_EQ(r.output, "failing\n");
  EXPECT_NE(r.error.find("exit code 3"), std::string::npos) << r.error;
}

TEST_F(ActionRunnerTest, ArgumentsComeFirstActionLastWithoutAShell) {
  std::string path = WriteScript("args", "for a in \"$@\"; do echo \"[$a]\"; done");
  ActionResult r =
      RunOne(Request(path, Action::kStop, {"/dev/drbd0", "two words", "$HOME;`id`", "x*"}));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(Lines(r.output), (std::vector<std::string>{"[/dev/drbd0]", "[two words]",
                                                       "[$HOME;`id`]", "[x*]", "[stop]"}));
}

TEST_F(ActionRunnerTest, HeartbeatStatusIsJudgedByStdoutTextNotExitCode) {
  struct Case {
    std::string body;
    bool running;
  };
  const Case cases[] = {
      {"echo 'memcached is not running'; exit 0", false},
      {"echo 'NOT   Running'; exit 0", false},
      {"echo 'running (Primary)'; exit 3", true},
      {"echo 'Status: OK'; exit 1", true},
      {"echo 'stopped (Secondary)'; exit 0", false},
      {"echo 'status unknown, may be running'; exit 4", true},
      {"echo 'running' >&2; echo stopped; exit 0", false},  // stderr does not count
      {"exit 0", false},
  };
  int i = 0;
  for (const Case& c : cases) {
    std::string path = WriteScript("status" + std::to_string(i++), c.body);
    ActionResult r = RunOne(Request(path, Action::kStatus));
    EXPECT_TRUE(r.ok) << c.body << ": " << r.error;
    EXPECT_EQ(r.running, c.running) << c.body;
  }
}

TEST_F(ActionRunnerTest, OcfAgentGetsActionAloneParametersInEnvironmentAndIsJudgedByExitCode) {
  std::string path =
      WriteScript("agent",
                  "echo \"argc=$# argv=$*\"\n"
                  "echo \"ip=$OCF_RESKEY_ip nic=$OCF_RESKEY_nic inst=$OCF_RESOURCE_INSTANCE\"\n"
                  "echo \"type=$OCF_RESOURCE_TYPE root=$OCF_ROOT "
                  "v=$OCF_RA_VERSION_MAJOR.$OCF_RA_VERSION_MINOR\"\n"
                  "exit \"$(cat \"$(dirname \"$0\")/rc\")\"");
  auto set_rc = [&](int rc) { std::ofstream(dir_ + "/rc") << rc << "\n"; };
  ActionRequest request =
      Request(path, Action::kStatus, {"ip=192.0.2.7", "nic=eth1"}, "ocf:test:agent");

  set_rc(0);
  ActionResult r = RunOne(request);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.running);
  EXPECT_EQ(Lines(r.output), (std::vector<std::string>{"argc=1 argv=monitor",
                                                       "ip=192.0.2.7 nic=eth1 inst=agent_192.0.2.7",
                                                       "type=agent root=/usr/lib/ocf v=1.0"}));
  set_rc(7);
  r = RunOne(request);
  EXPECT_TRUE(r.ok) << r.error;  // known: cleanly stopped
  EXPECT_FALSE(r.running);
  EXPECT_EQ(r.exit_code, 7);
  set_rc(1);
  r = RunOne(request);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.running);
  EXPECT_NE(r.error.find("OCF_ERR_GENERIC"), std::string::npos) << r.error;

  set_rc(0);
  request.action = Action::kStart;
  r = RunOne(request);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(Lines(r.output).front(), "argc=1 argv=start");
  request.resource.args.push_back("eth0");  // not key=value: refused before anything runs
  r = RunOne(request);
  EXPECT_TRUE(r.spawn_failed);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("'eth0' is not a parameter"), std::string::npos) << r.error;
}

TEST_F(ActionRunnerTest, EnvironmentIsCleanWhateverTheDaemonHas) {
  // The test process's own values come back afterwards, whatever they were.
  const char* const kNames[] = {"NOTIFY_SOCKET", "WATCHDOG_USEC",  "WATCHDOG_PID",
                                "LISTEN_FDS",    "JOURNAL_STREAM", "PATH"};
  std::map<std::string, std::optional<std::string>> saved;
  for (const char* name : kNames) {
    const char* value = getenv(name);
    saved[name] = value ? std::optional<std::string>(value) : std::nullopt;
  }
  setenv("NOTIFY_SOCKET", "/run/systemd/notify", 1);
  setenv("WATCHDOG_USEC", "1000000", 1);
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  setenv("LISTEN_FDS", "1", 1);
  setenv("JOURNAL_STREAM", "8:1234", 1);
  setenv("PATH", "/opt/evil/bin:/usr/bin:/bin", 1);
  // What the shell itself received from execve, before it adds anything of its own.
  std::string path = WriteScript("env", "tr '\\0' '\\n' < /proc/$$/environ");
  ActionRequest request = Request(path, Action::kStart);
  request.extra_env = {{"HA_DRBD_PEER", "node2"}};
  ActionResult r = RunOne(request);
  for (const auto& [name, value] : saved) {
    if (value)
      setenv(name.c_str(), value->c_str(), 1);
    else
      unsetenv(name.c_str());
  }
  ASSERT_TRUE(r.ok) << r.error;
  std::vector<std::string> env = Lines(r.output);
  std::set<std::string> got(env.begin(), env.end());
  std::set<std::string> want = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                "LANG=C",
                                "HA_DIR=" + dir_,
                                "HA_CURHOST=node1",
                                "HA_RSCTMP=/run/resource-agents",
                                "OCF_ROOT=/usr/lib/ocf",
                                "HA_DRBD_PEER=node2"};
  EXPECT_EQ(got, want);
  // systemd's notification socket and watchdog are the daemon's alone: a script that saw them
  // could send READY=1 or ping the watchdog on hbd's behalf (or get its messages refused).
  for (const auto& var : env) {
    EXPECT_EQ(var.find("NOTIFY_SOCKET"), std::string::npos) << var;
    EXPECT_EQ(var.find("WATCHDOG_USEC"), std::string::npos) << var;
    EXPECT_EQ(var.find("WATCHDOG_PID"), std::string::npos) << var;
  }
}

TEST_F(ActionRunnerTest, NoDescriptorsAreInheritedAndStdinIsDevNull) {
  std::string marker = dir_ + "/marker";
  std::ofstream(marker) << "x";
  int fd = open(marker.c_str(), O_RDONLY);  // deliberately without O_CLOEXEC
  ASSERT_GE(fd, 0);
  int high = dup2(fd, 77);
  ASSERT_EQ(high, 77);
  // readlink runs as its own command (no command substitution, whose pipe the shell would
  // hold): NAME then TARGET for every descriptor of the shell.
  std::string path = WriteScript(
      "fds", "cd /proc/$$/fd && for f in *; do echo $f; readlink $f || echo gone; done");
  ActionResult r = RunOne(Request(path, Action::kStart));
  close(fd);
  close(high);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output.find(marker), std::string::npos) << r.output;
  std::vector<std::string> lines = Lines(r.output);
  ASSERT_EQ(lines.size() % 2, 0u) << r.output;
  std::map<int, std::string> fds;
  for (size_t i = 0; i + 1 < lines.size(); i += 2)
    fds[std::stoi(lines[i])] = lines[i + 1];
  EXPECT_EQ(fds[0], "/dev/null");
  EXPECT_EQ(fds[1].rfind("pipe:", 0), 0u) << fds[1];
  EXPECT_EQ(fds[2].rfind("pipe:", 0), 0u) << fds[2];
  EXPECT_NE(fds[1], fds[2]) << "stdout and stderr are separate pipes";
  // Anything else is the shell's own: dash reads the script through a descriptor >= 10.
  for (const auto& [n, target] : fds) {
    if (n > 2 && target != "gone") {  // "gone": the directory the shell's glob had open
      EXPECT_GE(n, 10) << target;
      EXPECT_EQ(target, path);
    }
  }
}

TEST_F(ActionRunnerTest, ChildStartsWithDefaultSchedulingSignalsAndLimits) {
  ASSERT_EQ(geteuid(), 0u) << "needs root to set the test process's oom_score_adj back";
  auto write_oom = [](const char* value) { std::ofstream("/proc/self/oom_score_adj") << value; };
  write_oom("300");
  ASSERT_EQ(setpriority(PRIO_PROCESS, 0, 5), 0);
  // hbd runs under SCHED_RR with `realtime on`: the script must not inherit it.
  struct sched_param rr = {};
  rr.sched_priority = sched_get_priority_min(SCHED_RR);
  ASSERT_EQ(sched_setscheduler(0, SCHED_RR, &rr), 0);
  sigset_t usr1, saved;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &usr1, &saved);
  struct sigaction ignore = {}, saved_pipe = {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &saved_pipe);
  mode_t saved_umask = umask(077);

  std::string path = WriteScript("proc",
                                 // /proc/self: grep's own mask, as exec'd from the
                                 // script. The shell's own ($$) is briefly all-blocked
                                 // while it forks, which made reading it racy.
                                 "grep -E '^(SigBlk|SigIgn):' /proc/self/status\n"
                                 "echo oom $(cat /proc/$$/oom_score_adj)\n"
                                 "echo nice $(cut -d' ' -f19 /proc/$$/stat)\n"
                                 "echo policy $(cut -d' ' -f41 /proc/$$/stat)\n"
                                 "echo umask $(umask)\n"
                                 "echo nofile $(ulimit -n)\n"
                                 "echo cwd $(pwd)\n"
                                 "echo sid $(cut -d' ' -f6 /proc/$$/stat) pid $$");
  ActionResult r = RunOne(Request(path, Action::kStart));

  umask(saved_umask);
  sigaction(SIGPIPE, &saved_pipe, nullptr);
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  struct sched_param normal = {};
  sched_setscheduler(0, SCHED_OTHER, &normal);
  setpriority(PRIO_PROCESS, 0, 0);
  write_oom("0");
  ASSERT_TRUE(r.ok) << r.error;
  std::vector<std::string> lines = Lines(r.output);
  ASSERT_EQ(lines.size(), 9u) << r.output;
  EXPECT_EQ(lines[0], "SigBlk:\t0000000000000000");
  EXPECT_EQ(lines[1], "SigIgn:\t0000000000000000");
  EXPECT_EQ(lines[2], "oom 0");
  EXPECT_EQ(lines[3], "nice 0");
  EXPECT_EQ(lines[4], "policy 0");  // SCHED_OTHER
  EXPECT_EQ(lines[5], "umask 0022");
  EXPECT_EQ(lines[6], "nofile 1024");
  EXPECT_EQ(lines[7], "cwd /");
  std::istringstream sid_line(lines[8]);
  std::string word, sid, pid;
  sid_line >> word >> sid >> word >> pid;
  EXPECT_EQ(sid, pid) << "the script leads its own session and process group";
}

TEST_F(ActionRunnerTest, HangingScriptIsKilledWithItsGrandchildrenAtTimeout) {
  // Everything ignores SIGTERM, so only the SIGKILL after the grace ends it.
  std::string path = WriteScript("hang",
                                 "trap '' TERM\n"
                                 "sleep 100 &\n"
                                 "echo $!\n"
                                 "sleep 100");
  ActionRequest request = Request(path, Action::kStart);
  request.timeout = milliseconds(300);
  request.kill_grace = milliseconds(150);
  ActionResult r = RunOne(request);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
  EXPECT_GE(r.duration, milliseconds(450));
  EXPECT_LT(r.duration, milliseconds(2000));
  std::vector<std::string> lines = Lines(r.output);
  ASSERT_EQ(lines.size(), 1u) << r.output;
  pid_t grandchild = std::stoi(lines[0]);
  to_kill_.push_back(grandchild);
  for (int i = 0; i < 50 && Alive(grandchild); ++i)
    usleep(10000);
  EXPECT_FALSE(Alive(grandchild)) << "grandchild " << grandchild << " survived";
}

TEST_F(ActionRunnerTest, ScriptThatStopsOnTermEndsAtTimeoutWithoutWaitingLong) {
  std::string path = WriteScript("slow", "sleep 100");
  ActionRequest request = Request(path, Action::kStatus);
  request.timeout = milliseconds(200);
  request.kill_grace = milliseconds(100);
  ActionResult r = RunOne(request);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.running);
  EXPECT_EQ(r.signal, SIGTERM);
  EXPECT_LT(r.duration, milliseconds(1500));
}

TEST_F(ActionRunnerTest, DaemonStartedByScriptKeepsRunningAfterNormalExit) {
  // One daemon with its output redirected, one still holding the script's stdout pipe: neither
  // holds up the result, and neither is killed.
  std::string path = WriteScript("daemon",
                                 "sleep 30 >/dev/null 2>&1 &\n"
                                 "echo $!\n"
                                 "sleep 31 &\n"
                                 "echo $!\n"
                                 "exit 0");
  ActionRunner runner(io_);
  ActionResult r = RunOne(runner, Request(path, Action::kStart));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_LT(r.duration, milliseconds(1000));
  EXPECT_EQ(runner.Running(), 0u);
  std::vector<std::string> lines = Lines(r.output);
  ASSERT_EQ(lines.size(), 2u) << r.output;
  pid_t quiet = std::stoi(lines[0]), chatty = std::stoi(lines[1]);
  to_kill_.push_back(quiet);
  to_kill_.push_back(chatty);
  io_.run_for(milliseconds(200));
  EXPECT_TRUE(Alive(quiet));
  EXPECT_TRUE(Alive(chatty));
  kill(quiet, SIGKILL);
  kill(chatty, SIGKILL);
}

TEST_F(ActionRunnerTest, UnrunnableScriptIsASpawnFailure) {
  std::string not_exec = WriteScript("plain", "exit 0", 0644);
  ActionResult r = RunOne(Request(not_exec, Action::kStart));
  EXPECT_TRUE(r.spawn_failed);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_NE(r.error.find("Permission denied"), std::string::npos) << r.error;
  r = RunOne(Request(dir_ + "/missing", Action::kStatus));
  EXPECT_TRUE(r.spawn_failed);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.running);
  EXPECT_NE(r.error.find("No such file"), std::string::npos) << r.error;
  std::string bad_interpreter = dir_ + "/badint";
  std::ofstream(bad_interpreter) << "#!/nonexistent/shell\n";
  chmod(bad_interpreter.c_str(), 0755);
  r = RunOne(Request(bad_interpreter, Action::kStart));
  EXPECT_TRUE(r.spawn_failed);
  EXPECT_NE(r.error.find("interpreter"), std::string::npos) << r.error;
}

TEST_F(ActionRunnerTest, DescriptorExhaustionIsASpawnFailureWithoutLeaks) {
  std::string path = WriteScript("ok", "exit 0");
  ActionRunner runner(io_);
  ActionRequest request = Request(path, Action::kStart);
  ASSERT_TRUE(RunOne(runner, request).ok);  // the io_context opens its own descriptors once
  size_t before = OpenFdCount();
  struct rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  // The limit is put at the lowest free descriptor plus `room`: /dev/null and three pipes need
  // seven, so every room below that fails at a different step, and none may leak.
  int probe = dup(0);
  ASSERT_GE(probe, 0);
  close(probe);
  for (int room = 0; room < 7; ++room) {
    struct rlimit tight = saved;
    tight.rlim_cur = static_cast<rlim_t>(probe + room);
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &tight), 0);
    std::optional<ActionResult> result;
    runner.Run(request, [&](const ActionResult& r) { result = r; });
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
    io_.restart();
    io_.run_for(milliseconds(50));
    ASSERT_TRUE(result.has_value()) << room;
    EXPECT_TRUE(result->spawn_failed) << room;
    EXPECT_NE(result->error.find("Too many open files"), std::string::npos) << result->error;
    EXPECT_EQ(runner.Running(), 0u);
    EXPECT_EQ(OpenFdCount(), before) << room;
  }
  // And the runner still works once descriptors are back.
  ActionResult r = RunOne(runner, request);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(OpenFdCount(), before);
}

TEST_F(ActionRunnerTest, ConcurrentRunsEachGetTheirOwnResult) {
  // Each run prints its number and when it started and ended (ns): the six intervals must all
  // overlap, which shows they ran at once without asserting on wall-clock speed.
  std::string path = WriteScript(
      "n", "s=$(date +%s%N); sleep 0.3; e=$(date +%s%N); echo \"$1 $s $e\"; exit \"$1\"");
  ActionRunner runner(io_);
  std::map<std::string, ActionResult> results;
  for (int i = 0; i < 6; ++i) {
    ActionRequest request = Request(path, Action::kStop, {std::to_string(i)});
    runner.Run(request, [&, i](const ActionResult& r) { results[std::to_string(i)] = r; });
  }
  EXPECT_EQ(runner.Running(), 6u);
  auto start = std::chrono::steady_clock::now();
  while (results.size() < 6 && std::chrono::steady_clock::now() - start < std::chrono::seconds(5))
    io_.run_one_for(milliseconds(100));
  ASSERT_EQ(results.size(), 6u);
  long long latest_start = 0, earliest_end = LLONG_MAX;
  for (const auto& [name, r] : results) {
    std::istringstream line(r.output);
    std::string number;
    long long s = 0, e = 0;
    ASSERT_TRUE(line >> number >> s >> e) << r.output;
    latest_start = std::max(latest_start, s);
    earliest_end = std::min(earliest_end, e);
  }
  EXPECT_LT(latest_start, earliest_end) << "the six runs did not overlap: they ran one by one";
  for (int i = 0; i < 6; ++i) {
    const ActionResult& r = results[std::to_string(i)];
    EXPECT_EQ(r.exit_code, i);
    EXPECT_EQ(r.ok, i == 0);
    EXPECT_EQ(r.output.substr(0, r.output.find(' ')), std::to_string(i));  // its own output
  }
  EXPECT_EQ(runner.Running(), 0u);
}

TEST_F(ActionRunnerTest, KillAllStopsEveryRunningActionAndStillReports) {
  std::string path = WriteScript("long", "sleep 100");
  std::string stubborn = WriteScript("stubborn", "trap '' TERM; sleep 100");
  ActionRunner runner(io_);
  std::vector<ActionResult> results;
  runner.Run(Request(path, Action::kStart), [&](const ActionResult& r) { results.push_back(r); });
  runner.Run(Request(stubborn, Action::kStop),
             [&](const ActionResult& r) { results.push_back(r); });
  io_.run_for(milliseconds(100));
  EXPECT_EQ(runner.Running(), 2u);
  runner.KillAll();
  auto start = std::chrono::steady_clock::now();
  while (runner.Running() > 0 && std::chrono::steady_clock::now() - start < std::chrono::seconds(5))
    io_.run_one_for(milliseconds(100));
  ASSERT_EQ(results.size(), 2u);
  for (const ActionResult& r : results) {
    EXPECT_FALSE(r.ok);
    EXPECT_FALSE(r.timed_out);
    EXPECT_NE(r.error.find("killed"), std::string::npos) << r.error;
    EXPECT_TRUE(r.signal == SIGTERM || r.signal == SIGKILL) << r.signal;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

TEST_F(ActionRunnerTest, PollingFallbackWithoutPidfd) {
  ActionRunner runner(io_, /*use_pidfd=*/false);
  std::string path = WriteScript("rc", "echo running; exit 3");
  ActionResult r = RunOne(runner, Request(path, Action::kStart));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.exit_code, 3);
  r = RunOne(runner, Request(path, Action::kStatus));
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.running);
  std::string hang = WriteScript("hang", "trap '' TERM; sleep 100");
  ActionRequest request = Request(hang, Action::kStart);
  request.timeout = milliseconds(150);
  request.kill_grace = milliseconds(100);
  r = RunOne(runner, request);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
}

TEST_F(ActionRunnerTest, OutputIsCappedAndLongLinesDoNotHurt) {
  std::string path = WriteScript("loud", "head -c 200000 /dev/zero | tr '\\0' 'a'; echo; echo end");
  ActionResult r = RunOne(Request(path, Action::kStart));
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output.size(), kMaxOutput);
  EXPECT_EQ(r.output.find_first_not_of('a'), std::string::npos);
}

TEST_F(ActionRunnerTest, DestroyingTheRunnerKillsRunningChildren) {
  std::string pidfile = dir_ + "/pid";
  std::string path = WriteScript("sleeper", "echo $$ > " + pidfile + "\nexec sleep 100");
  bool called = false;
  {
    ActionRunner runner(io_);
    runner.Run(Request(path, Action::kStart), [&](const ActionResult&) { called = true; });
    for (int i = 0; i < 100 && !std::filesystem::exists(pidfile); ++i)
      io_.run_for(milliseconds(10));
    io_.run_for(milliseconds(50));
  }
  io_.restart();
  io_.poll();
  EXPECT_FALSE(called);
  std::ifstream in(pidfile);
  pid_t pid = 0;
  ASSERT_TRUE(in >> pid);
  to_kill_.push_back(pid);
  EXPECT_FALSE(Alive(pid));
  EXPECT_NE(kill(pid, 0), 0) << "the child was reaped, not left a zombie";
}

}  // namespace
}  // namespace hbd::resources
