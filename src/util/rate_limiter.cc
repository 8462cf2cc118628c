#include "util/rate_limiter.h"

namespace hbd {

RateLimiter::Decision RateLimiter::Check(const std::string& key, TimePoint now) {
  if (buckets_.size() > 4096 && !buckets_.count(key))
    buckets_.clear();  // bounded memory
  Bucket& b = buckets_[key];
  if (b.used == 0 || now - b.window_start >= period_ || now < b.window_start) {
    b.window_start = now;
    b.used = 0;
  }
  if (b.used >= burst_) {
    ++b.suppressed;
    return {false, 0};
  }
  ++b.used;
  Decision d{true, b.suppressed};
  b.suppressed = 0;
  return d;
}

}  // namespace hbd
