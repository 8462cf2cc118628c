// The resource action runner: runs one resource script action (start, stop, status) as a child
// process from the Asio event loop and reports the outcome once. It owns the children: their
// pipes (every output line logged as "resource NAME: line", rate limited, and kept capped in the
// result), their exit (pidfd, or polling waitid where pidfd_open is missing) and their timeout
// (SIGTERM to the process group, SIGKILL after the request's grace). A script that exits on its
// own is never killed, nor is anything it left running (daemons started by `start`). Not
// thread-safe: use from the io_context's thread only.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include "resources/resource_action.h"
#include "util/asio.h"
#include "util/rate_limiter.h"

namespace hbd::resources {

class ActionRunner {
 public:
  using Done = std::function<void(const ActionResult&)>;

  // `use_pidfd` false waits for children by polling; tests use it to cover that fallback.
  explicit ActionRunner(boost::asio::io_context& io, bool use_pidfd = true);
  // Actions still running are killed (SIGKILL to their process groups) and reaped; their `done`
  // is not called.
  ~ActionRunner();
  ActionRunner(const ActionRunner&) = delete;
  ActionRunner& operator=(const ActionRunner&) = delete;

  // Starts the action. `done` is called exactly once, from the io_context (never from inside
  // Run): when the script has exited (after its timeout plus the kill grace when it timed out),
  // or soon after Run when it could not be started (spawn_failed).
  void Run(const ActionRequest& request, Done done);

  // Runs a program that is not a resource script (a fence hook, the reboot command) the same
  // way: clean child, timeout, output to the log under `name`; ok means exit 0.
  void RunCommand(const std::string& name, const ChildCommand& command,
                  std::chrono::milliseconds timeout, Done done);

  // Actions whose `done` has not been called yet.
  size_t Running() const;

  // For daemon exit: SIGTERM to every running action's process group, SIGKILL after its grace.
  // Each `done` is still called (ok false, error "killed: ..."), so run the io_context until
  // Running() is 0.
  void KillAll();

 private:
  struct Child;
  using ChildPtr = std::shared_ptr<Child>;

  void Launch(const std::string& name, Action action, ScriptStyle style,
              const ChildCommand& command, std::chrono::milliseconds timeout,
              std::chrono::milliseconds grace, Done done);
  void WaitForOutput(const ChildPtr& child, bool is_stdout);
  void ReadOutput(const ChildPtr& child, bool is_stdout);
  void Consume(const ChildPtr& child, bool is_stdout, const char* data, size_t size);
  void LogLine(const ChildPtr& child, std::string line);
  void WaitForExit(const ChildPtr& child);
  void OnExited(const ChildPtr& child);
  void OnTimeout(const ChildPtr& child);
  void Terminate(const ChildPtr& child, const std::string& why);
  void OnKillGrace(const ChildPtr& child);
  void Finish(const ChildPtr& child);
  void ForgetIfDone(const ChildPtr& child);

  boost::asio::io_context& io_;
  bool use_pidfd_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, ChildPtr> children_;  // running, or finished with output still open
  RateLimiter line_limiter_;
};

}  // namespace hbd::resources
