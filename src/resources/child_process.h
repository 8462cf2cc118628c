// Starting a resource script as a child process with nothing of the daemon's in it: its own
// session and process group, no inherited descriptors but stdin (/dev/null) and stdout/stderr
// (two pipes back to hbd), default signal mask and dispositions, SCHED_OTHER at nice 0,
// oom_score_adj 0, RLIMIT_NOFILE soft limit at most 1024, umask 022, cwd /. Also a pidfd for
// waiting on it where the kernel has pidfd_open (Linux 5.3). fork+exec; only async-signal-safe
// calls between the two. Thread-safe (no shared state), though fork from a threaded program
// copies only the calling thread.
#pragma once

#include <sys/types.h>

#include <string>

#include "resources/resource_action.h"

namespace hbd::resources {

// An owned file descriptor; closed on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release();
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

struct SpawnedChild {
  pid_t pid = -1;      // also the process group id
  UniqueFd stdout_fd;  // read ends, non-blocking, close-on-exec
  UniqueFd stderr_fd;
  UniqueFd pidfd;     // invalid when pidfd_open is unavailable
  std::string error;  // set (pid -1, no fds) when the child could not be started
};

// Starts `command` (argv[0] is run as `command.path`). Exec failures (ENOENT, EACCES, ...) are
// reported here, not as an exit code: the child sends its errno back over a close-on-exec pipe.
SpawnedChild SpawnChild(const ChildCommand& command);

// kill(-pgid, signal); ESRCH (group gone) is not an error. Returns false on other errors.
bool SignalProcessGroup(pid_t pgid, int signal);

}  // namespace hbd::resources
