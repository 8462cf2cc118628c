#include "resources/child_process.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

namespace hbd::resources {

namespace {

constexpr rlim_t kChildMaxOpenFiles = 1024;

std::string ErrnoText(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// Moves `fd` to a number above 2 so that putting the child's stdin/stdout/stderr in place never
// overwrites one of its sources (the daemon may run with 0-2 closed).
bool MoveAboveStdio(UniqueFd& fd) {
  if (fd.get() > 2)
    return true;
  int moved = fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
  if (moved < 0)
    return false;
  fd.Reset(moved);
  return true;
}

bool MakePipe(UniqueFd& read_end, UniqueFd& write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return false;
  read_end.Reset(fds[0]);
  write_end.Reset(fds[1]);
  return MoveAboveStdio(read_end) && MoveAboveStdio(write_end);
}

// Everything the child does between fork and exec; async-signal-safe calls only, no allocation.
[[noreturn]] void RunChild(const char* path, char* const* argv, char* const* envp, int stdin_fd,
                           int stdout_fd, int stderr_fd, int report_fd, int max_fd) {
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig)
    sigaction(sig, &dfl, nullptr);  // SIGKILL, SIGSTOP and unused numbers fail; fine
  setsid();
  if (dup2(stdin_fd, 0) < 0 || dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) {
    int error = errno;
    ssize_t ignored = write(report_fd, &error, sizeof error);
    (void)ignored;
    _exit(127);
  }
  // Close everything else; the report pipe is close-on-exec and must live until exec.
  if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int fd = 3; fd < max_fd; ++fd) {
      if (fd != report_fd)
        close(fd);
    }
  }
  struct sched_param param = {};
  param.sched_priority = 0;
  sched_setscheduler(0, SCHED_OTHER, &param);
  setpriority(PRIO_PROCESS, 0, 0);  // lowering a positive nice needs privilege; ignore
  int oom = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (oom >= 0) {
    ssize_t ignored = write(oom, "0\n", 2);
    (void)ignored;
    close(oom);
  }
  struct rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur > kChildMaxOpenFiles) {
    files.rlim_cur = kChildMaxOpenFiles;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  umask(022);
  if (chdir("/") != 0) {
    // stay where we are
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execve(path, argv, envp);
  int error = errno;
  ssize_t ignored = write(report_fd, &error, sizeof error);
  (void)ignored;
  _exit(127);
}

SpawnedChild Failed(const std::string& error) {
  SpawnedChild child;
  child.error = error;
  return child;
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other)
    Reset(other.Release());
  return *this;
}

int UniqueFd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::Reset(int fd) {
  if (fd_ >= 0)
    close(fd_);
  fd_ = fd;
}

SpawnedChild SpawnChild(const ChildCommand& command) {
  if (command.argv.empty())
    return Failed("no command");
  // Everything the child needs is built here, before fork.
  std::vector<char*> argv;
  for (const auto& arg : command.argv)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& var : command.env)
    envp.push_back(const_cast<char*>(var.c_str()));
  envp.push_back(nullptr);

  UniqueFd dev_null(open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!dev_null.valid() || !MoveAboveStdio(dev_null))
    return Failed("cannot open /dev/null: " + ErrnoText(errno));
  UniqueFd out_read, out_write, err_read, err_write, report_read, report_write;
  if (!MakePipe(out_read, out_write) || !MakePipe(err_read, err_write) ||
      !MakePipe(report_read, report_write)) {
    return Failed("cannot create a pipe: " + ErrnoText(errno));
  }
  struct rlimit files;
  int max_fd = 65536;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY)
    max_fd = static_cast<int>(std::min<rlim_t>(files.rlim_cur, 1 << 20));

  // Signals stay blocked across fork so that no handler of the daemon's (Asio's signal pipe,
  // for one) runs in the child before its dispositions are reset.
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  pid_t pid = fork();
  if (pid == 0) {
    RunChild(command.path.c_str(), argv.data(), envp.data(), dev_null.get(), out_write.get(),
             err_write.get(), report_write.get(), max_fd);
  }
  int fork_errno = errno;
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  if (pid < 0)
    return Failed("cannot fork: " + ErrnoText(fork_errno));
  out_write.Reset();
  err_write.Reset();
  report_write.Reset();
  dev_null.Reset();

  // The report pipe closes at a successful exec or carries the errno of a failed one. This
  // waits only for the child's few calls before exec, as posix_spawn does.
  int exec_errno = 0;
  ssize_t n;
  do {
    n = read(report_read.get(), &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::string why = ErrnoText(exec_errno);
    if (exec_errno == ENOENT && access(command.path.c_str(), F_OK) == 0)
      why += " (the interpreter on its #! line)";
    return Failed("cannot run " + command.path + ": " + why);
  }

  SpawnedChild child;
  child.pid = pid;
  child.stdout_fd = std::move(out_read);
  child.stderr_fd = std::move(err_read);
  fcntl(child.stdout_fd.get(), F_SETFL, O_NONBLOCK);
  fcntl(child.stderr_fd.get(), F_SETFL, O_NONBLOCK);
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0)
    child.pidfd.Reset(pidfd);
  return child;
}

bool SignalProcessGroup(pid_t pgid, int signal) {
  if (pgid <= 1)
    return false;  // never signal everything (-1) or our own group (0)
  return kill(-pgid, signal) == 0 || errno == ESRCH;
}

}  // namespace hbd::resources
