// Time values for the pure cores. Cores never read a clock: the shell reads
// std::chrono::steady_clock (monotonic, immune to wall-clock steps) and passes the value in; tests
// pass values of a fake clock. Header-only; thread-safe.
#pragma once

#include <chrono>

namespace hbd {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;
using Millis = std::chrono::milliseconds;
using Micros = std::chrono::microseconds;

// A TimePoint `ms` milliseconds after the fake epoch; for tests of the cores.
inline TimePoint FakeTime(int64_t ms) {
  return TimePoint(std::chrono::milliseconds(ms));
}

}  // namespace hbd
