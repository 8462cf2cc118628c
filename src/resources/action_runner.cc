#include "resources/action_runner.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "resources/child_process.h"
#include "util/log.h"

namespace hbd::resources {

namespace {

using Descriptor = boost::asio::posix::stream_descriptor;
using Timer = boost::asio::steady_timer;

constexpr size_t kMaxLine = 512;  // longer lines are logged in pieces
constexpr std::chrono::milliseconds kPollInterval{20};
constexpr std::chrono::seconds kLinePeriod{1};
constexpr int kLineBurst = 20;

std::chrono::milliseconds Since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

}  // namespace

struct ActionRunner::Child {
  enum class State { kRunning, kTerminating, kFinished };

  explicit Child(boost::asio::io_context& io)
      : out(io), err(io), pidfd(io), poll_timer(io), timeout_timer(io), kill_timer(io) {}

  uint64_t id = 0;
  std::string name;  // the resource's haresources token
  Action action = Action::kStatus;
  ScriptStyle style = ScriptStyle::kHeartbeat;
  std::chrono::milliseconds timeout{0};
  std::chrono::milliseconds grace{0};
  pid_t pid = -1;
  Clock::time_point started;
  Done done;

  Descriptor out, err, pidfd;
  Timer poll_timer, timeout_timer, kill_timer;
  bool out_waiting = false, err_waiting = false;  // a readiness wait is pending
  std::string out_partial, err_partial;           // an unfinished line of each stream
  std::string stdout_text;                        // for the status judgement, capped
  ActionResult result;

  State state = State::kRunning;
  bool exited = false;  // the leader has exited (not necessarily reaped)
  bool reaped = false;
  bool kill_sent = false;  // SIGKILL sent to the group after a timeout or KillAll
  bool abandoned = false;  // the runner is gone; handlers must not touch it
  std::string kill_reason;
  int wait_status = 0;
};

ActionRunner::ActionRunner(boost::asio::io_context& io, bool use_pidfd)
    : io_(io), use_pidfd_(use_pidfd), line_limiter_(kLinePeriod, kLineBurst) {}

ActionRunner::~ActionRunner() {
  for (auto& [id, child] : children_) {
    child->abandoned = true;
    if (!child->reaped && child->pid > 0) {
      SignalProcessGroup(child->pid, SIGKILL);
      int status;
      while (waitpid(child->pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
    boost::system::error_code ignored;
    child->out.close(ignored);
    child->err.close(ignored);
    child->pidfd.close(ignored);
    child->poll_timer.cancel();
    child->timeout_timer.cancel();
    child->kill_timer.cancel();
  }
}

size_t ActionRunner::Running() const {
  size_t n = 0;
  for (const auto& [id, child] : children_) {
    if (child->state != Child::State::kFinished)
      ++n;
  }
  return n;
}

void ActionRunner::Run(const ActionRequest& request, Done done) {
  ChildCommand command = BuildChildCommand(request);
  Launch(request.resource.Spec(), request.action, StyleOf(request.resource), command,
         request.timeout, request.kill_grace, std::move(done));
}

void ActionRunner::RunCommand(const std::string& name, const ChildCommand& command,
                              std::chrono::milliseconds timeout, Done done) {
  // Judged as a start: success is exit 0.
  Launch(name, Action::kStart, ScriptStyle::kHeartbeat, command, timeout,
         std::chrono::milliseconds(2000), std::move(done));
}

void ActionRunner::Launch(const std::string& name, Action action, ScriptStyle style,
                          const ChildCommand& command, std::chrono::milliseconds timeout,
                          std::chrono::milliseconds grace, Done done) {
  auto fail = [&](const std::string& error) {
    LogError("resource " + name + ": cannot " + ToString(action) + ": " + error);
    ActionResult result;
    result.spawn_failed = true;
    result.error = error;
    boost::asio::post(io_, [done = std::move(done), result] { done(result); });
  };
  if (!command.error.empty())
    return fail(command.error);
  SpawnedChild spawned = SpawnChild(command);
  if (spawned.pid < 0)
    return fail(spawned.error);

  auto child = std::make_shared<Child>(io_);
  child->id = next_id_++;
  child->name = name;
  child->action = action;
  child->style = style;
  child->timeout = timeout;
  child->grace = grace;
  child->pid = spawned.pid;
  child->started = Clock::now();
  child->done = std::move(done);
  boost::system::error_code watch_error;
  child->out.assign(spawned.stdout_fd.get(), watch_error);
  if (!watch_error)
    spawned.stdout_fd.Release();
  if (!watch_error)
    child->err.assign(spawned.stderr_fd.get(), watch_error);
  if (!watch_error)
    spawned.stderr_fd.Release();
  if (!watch_error && use_pidfd_ && spawned.pidfd.valid()) {
    child->pidfd.assign(spawned.pidfd.get(), watch_error);
    if (!watch_error)
      spawned.pidfd.Release();
  }
  if (watch_error) {
    // The event loop cannot watch this child: take it back at once rather than lose it.
    SignalProcessGroup(child->pid, SIGKILL);
    int status;
    while (waitpid(child->pid, &status, 0) < 0 && errno == EINTR) {
    }
    boost::system::error_code ignored;
    child->out.close(ignored);
    child->err.close(ignored);
    return fail("cannot watch the child: " + watch_error.message());
  }
  children_[child->id] = child;
  LogDebug("resource " + child->name + ": running " + command.path + " " +
           ActionWord(child->action, child->style) + " (pid " + std::to_string(child->pid) + ")");

  WaitForOutput(child, true);
  WaitForOutput(child, false);
  WaitForExit(child);
  child->timeout_timer.expires_after(child->timeout);
  child->timeout_timer.async_wait([this, child](const boost::system::error_code& ec) {
    if (!ec && !child->abandoned)
      OnTimeout(child);
  });
}

void ActionRunner::WaitForOutput(const ChildPtr& child, bool is_stdout) {
  Descriptor& d = is_stdout ? child->out : child->err;
  bool& waiting = is_stdout ? child->out_waiting : child->err_waiting;
  if (waiting)
    return;
  waiting = true;
  d.async_wait(Descriptor::wait_read,
               [this, child, is_stdout](const boost::system::error_code& ec) {
                 (is_stdout ? child->out_waiting : child->err_waiting) = false;
                 if (child->abandoned || ec == boost::asio::error::operation_aborted)
                   return;
                 ReadOutput(child, is_stdout);
               });
}

// Reads what is there without blocking; every read of a child's pipes goes through here, so
// output stays in order however the readiness handlers and the exit interleave.
void ActionRunner::ReadOutput(const ChildPtr& child, bool is_stdout) {
  Descriptor& d = is_stdout ? child->out : child->err;
  if (!d.is_open())
    return;
  char buffer[4096];
  for (;;) {
    ssize_t n = read(d.native_handle(), buffer, sizeof buffer);
    if (n > 0) {
      Consume(child, is_stdout, buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      WaitForOutput(child, is_stdout);
      return;
    }
    // End of output (or a read error): flush the unfinished line and let go of the pipe.
    std::string& partial = is_stdout ? child->out_partial : child->err_partial;
    if (!partial.empty())
      LogLine(child, std::move(partial));
    partial.clear();
    boost::system::error_code ignored;
    d.close(ignored);
    ForgetIfDone(child);
    return;
  }
}

void ActionRunner::Consume(const ChildPtr& child, bool is_stdout, const char* data, size_t size) {
  if (child->state != Child::State::kFinished) {
    std::string& output = child->result.output;
    output.append(data, std::min(size, kMaxOutput - output.size()));
    if (is_stdout)
      child->stdout_text.append(data, std::min(size, kMaxOutput - child->stdout_text.size()));
  }
  std::string& partial = is_stdout ? child->out_partial : child->err_partial;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      LogLine(child, std::move(partial));
      partial.clear();
    } else {
      partial += data[i];
      if (partial.size() >= kMaxLine) {
        LogLine(child, std::move(partial));
        partial.clear();
      }
    }
  }
}

void ActionRunner::LogLine(const ChildPtr& child, std::string line) {
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  bool quiet = child->action == Action::kStatus;
  if (quiet && !DebugEnabled())
    return;
  RateLimiter::Decision decision = line_limiter_.Check(child->name, Clock::now());
  if (!decision.allow)
    return;
  std::string message = "resource " + child->name + ": " + line;
  if (decision.suppressed_before > 0)
    message += " (" + std::to_string(decision.suppressed_before) + " lines not logged before)";
  if (quiet)
    LogDebug(message);
  else
    LogInfo(message);
}

void ActionRunner::WaitForExit(const ChildPtr& child) {
  if (child->pidfd.is_open()) {
    child->pidfd.async_wait(Descriptor::wait_read,
                            [this, child](const boost::system::error_code& ec) {
                              if (child->abandoned || ec == boost::asio::error::operation_aborted)
                                return;
                              OnExited(child);
                            });
    return;
  }
  child->poll_timer.expires_after(kPollInterval);
  child->poll_timer.async_wait([this, child](const boost::system::error_code& ec) {
    if (child->abandoned || ec)
      return;
    // WNOWAIT: look without reaping, so the pid (and process group id) stays ours until we
    // decide to reap; see OnExited.
    siginfo_t info = {};
    int rc = waitid(P_PID, static_cast<id_t>(child->pid), &info, WEXITED | WNOHANG | WNOWAIT);
    if ((rc == 0 && info.si_pid == child->pid) || (rc < 0 && errno == ECHILD))
      OnExited(child);
    else
      WaitForExit(child);
  });
}

void ActionRunner::OnExited(const ChildPtr& child) {
  if (child->reaped)
    return;  // a poll or wait that was already queued when the child finished
  child->exited = true;
  // After a timeout the leader stays a zombie until SIGKILL has gone to its group: while it is
  // unreaped its pid cannot name another process group.
  if (child->state == Child::State::kTerminating && !child->kill_sent)
    return;
  int status = 0;
  pid_t rc;
  do {
    rc = waitpid(child->pid, &status, WNOHANG);
  } while (rc < 0 && errno == EINTR);
  if (rc == 0) {  // not yet, after all
    child->exited = false;
    WaitForExit(child);
    return;
  }
  child->reaped = true;
  if (rc == child->pid) {
    child->wait_status = status;
  } else {
    child->wait_status = -1;  // reaped elsewhere (ECHILD): the exit status is lost
  }
  boost::system::error_code ignored;
  child->pidfd.close(ignored);
  Finish(child);
}

void ActionRunner::OnTimeout(const ChildPtr& child) {
  if (child->state != Child::State::kRunning)
    return;
  child->result.timed_out = true;
  LogWarning("resource " + child->name + ": " + ToString(child->action) + " timed out after " +
             std::to_string(child->timeout.count()) + " ms; stopping its process group");
  Terminate(child,
            std::string("timed out after ") + std::to_string(child->timeout.count()) + " ms");
}

void ActionRunner::Terminate(const ChildPtr& child, const std::string& why) {
  child->state = Child::State::kTerminating;
  child->kill_reason = why;
  child->timeout_timer.cancel();
  SignalProcessGroup(child->pid, SIGTERM);
  child->kill_timer.expires_after(child->grace);
  child->kill_timer.async_wait([this, child](const boost::system::error_code& ec) {
    if (!ec && !child->abandoned)
      OnKillGrace(child);
  });
}

void ActionRunner::OnKillGrace(const ChildPtr& child) {
  if (child->reaped)
    return;  // never signal a group whose leader we no longer hold
  SignalProcessGroup(child->pid, SIGKILL);
  child->kill_sent = true;
  if (child->exited)
    OnExited(child);
  // else the exit wait still runs and SIGKILL ends it shortly
}

void ActionRunner::KillAll() {
  for (auto& [id, child] : children_) {
    if (child->state == Child::State::kRunning) {
      LogWarning("resource " + child->name + ": stopping " + ToString(child->action) + " (pid " +
                 std::to_string(child->pid) + "): hbd is stopping");
      Terminate(child, "killed: hbd is stopping");
    }
  }
}

void ActionRunner::Finish(const ChildPtr& child) {
  // Whatever the leader wrote before it exited is in the pipes now; take it before judging.
  ReadOutput(child, true);
  ReadOutput(child, false);
  child->timeout_timer.cancel();
  child->kill_timer.cancel();
  child->poll_timer.cancel();

  ActionResult& result = child->result;
  result.duration = Since(child->started);
  int status = child->wait_status;
  if (status >= 0 && WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (status >= 0 && WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  if (child->state == Child::State::kTerminating) {
    result.ok = false;
    result.running = false;
    result.error = child->kill_reason;
  } else if (status < 0) {
    result.ok = false;
    result.error = "exit status lost (child reaped elsewhere)";
  } else if (result.signal != 0) {
    result.ok = false;
    const char* abbrev = sigabbrev_np(result.signal);
    result.error = "killed by " + (abbrev ? "SIG" + std::string(abbrev)
                                          : "signal " + std::to_string(result.signal));
  } else {
    JudgeFinishedAction(child->action, child->style, result.exit_code, child->stdout_text, result);
  }
  child->state = Child::State::kFinished;
  child->stdout_text.clear();
  Done done = std::move(child->done);
  ActionResult copy = std::move(result);
  ForgetIfDone(child);
  done(copy);
}

void ActionRunner::ForgetIfDone(const ChildPtr& child) {
  if (child->state == Child::State::kFinished && !child->out.is_open() && !child->err.is_open())
    children_.erase(child->id);
}

}  // namespace hbd::resources
