#include "daemon/realtime.h"

#include <malloc.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace hbd::daemon {
namespace {

constexpr size_t kStackReserve = 64 * 1024;
constexpr size_t kHeapReserve = 256 * 1024;

std::string Errno(int error) {
  return std::string(std::strerror(error));
}

// Touches kStackReserve bytes of stack below the caller, so those pages are faulted in (and,
// with MCL_ONFAULT, locked) now rather than on a deep call during a takeover.
[[gnu::noinline]] void TouchStack() {
  unsigned char reserve[kStackReserve];
  std::memset(reserve, 0, sizeof(reserve));
  // Keeps the compiler from dropping the writes to a buffer nobody reads.
  asm volatile("" : : "r"(reserve) : "memory");
}

// Grows the heap by kHeapReserve and keeps it: malloc's trim threshold is raised so freed memory
// stays in the arena (locked) instead of returning to the kernel.
void ReserveHeap() {
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(4 * kHeapReserve));
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(4 * kHeapReserve));
  auto* block = static_cast<volatile unsigned char*>(malloc(kHeapReserve));
  if (block == nullptr)
    return;
  for (size_t i = 0; i < kHeapReserve; i += 4096)
    block[i] = 0;
  free(const_cast<unsigned char*>(block));
}

}  // namespace

int ChooseRealtimePriority(std::optional<int> rtprio, int min, int max) {
  if (!rtprio || *rtprio <= 0 || *rtprio < min)
    return min;
  return *rtprio > max ? max : *rtprio;
}

RealtimeOutcome MakeRealtime(std::optional<int> rtprio) {
  RealtimeOutcome out;
  int min = sched_get_priority_min(SCHED_RR);
  int max = sched_get_priority_max(SCHED_RR);
  out.priority = ChooseRealtimePriority(rtprio, min, max);
  struct sched_param param = {};
  param.sched_priority = out.priority;
  if (sched_setscheduler(0, SCHED_RR, &param) == 0) {
    out.scheduled = true;
    out.notes.push_back("realtime: SCHED_RR priority " + std::to_string(out.priority));
  } else {
    out.notes.push_back("realtime: cannot use SCHED_RR priority " + std::to_string(out.priority) +
                        " (" + Errno(errno) + "); keepalives run at normal priority");
  }
  struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
  if (setrlimit(RLIMIT_MEMLOCK, &unlimited) != 0) {
    struct rlimit current = {};
    getrlimit(RLIMIT_MEMLOCK, &current);
    if (current.rlim_cur != RLIM_INFINITY)
      out.notes.push_back("realtime: memlock limit stays at " + std::to_string(current.rlim_cur) +
                          " bytes (" + Errno(errno) + ")");
  }
  TouchStack();
  ReserveHeap();
  if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) == 0) {
    out.locked = true;
    out.notes.push_back("realtime: memory locked as it is used (mlockall on fault)");
  } else {
    out.notes.push_back("realtime: cannot lock memory (" + Errno(errno) +
                        "); hbd's pages may be swapped out");
  }
  return out;
}

}  // namespace hbd::daemon
