// Rate limiting for repeated log lines (bad packets, late heartbeats, flapping links): at most
// `burst` lines per key per `period`; what was suppressed is counted and reported with the next
// line that gets through. Pure: the caller passes the time. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "util/time.h"

namespace hbd {

class RateLimiter {
 public:
  RateLimiter(Duration period, int burst) : period_(period), burst_(burst) {}

  struct Decision {
    bool allow = false;
    uint64_t suppressed_before = 0;  // lines dropped for this key since the last allowed one
  };

  Decision Check(const std::string& key, TimePoint now);

 private:
  struct Bucket {
    TimePoint window_start{};
    int used = 0;
    uint64_t suppressed = 0;
  };
  Duration period_;
  int burst_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace hbd
