#pragma once
// Time points are microseconds since the Unix epoch (UTC): enough range for any
// Go duration added to now (int64 nanoseconds would overflow past 2262).
#include "core/error.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse {

using Time = std::chrono::sys_time<std::chrono::microseconds>;

// The clock seam: production uses SystemClock, tests a FakeClock they move by hand.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Time now() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Time start) : now_(start) {}
  Time now() const override { return now_; }
  void advance(std::chrono::microseconds d) { now_ += d; }
  void set(Time t) { now_ = t; }

 private:
  Time now_;
};

inline std::int64_t to_micros(Time t) { return t.time_since_epoch().count(); }
inline Time from_micros(std::int64_t us) { return Time(std::chrono::microseconds(us)); }

// RFC 3339 in UTC: "2026-11-28T13:35:03Z", with a fraction only when it is not zero.
std::string format_rfc3339(Time t);
// Accepts RFC 3339 date-times with "Z" or a numeric offset and an optional fraction
// (truncated to microseconds). The error names `field`.
Result<Time> parse_rfc3339(std::string_view text, std::string_view field);

}  // namespace gatehouse
