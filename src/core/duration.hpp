#pragma once
// Service-token lifetimes: Go duration syntax ("300ms", "2h45m", "8760h") or "forever".
#include "core/error.hpp"
#include "core/time.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse {

struct Duration {
  std::string text;                               // as the client wrote it, e.g. "8760h"
  std::optional<std::chrono::nanoseconds> length;  // empty = forever

  bool forever() const { return !length.has_value(); }
  friend bool operator==(const Duration&, const Duration&) = default;
};

inline constexpr std::string_view kDefaultTokenDuration = "8760h";  // one year
inline constexpr std::chrono::hours kRefreshExtension{8760};

// Parses exactly what Go's time.ParseDuration accepts, plus "forever"; rejects zero,
// negative and overflowing values (400 "invalid_duration", the message says why).
Result<Duration> parse_duration(std::string_view text);

// now + length, or no expiry for forever. Never overflows: Go durations are < 293
// years and Time counts microseconds in 64 bits.
std::optional<Time> expiry_after(Time now, const Duration& d);

}  // namespace gatehouse
