#include "core/duration.hpp"

#include <cstdint>

namespace gatehouse {
namespace {

constexpr std::uint64_t kLimit = std::uint64_t{1} << 63;  // |int64 min|, Go's bound

struct Unit {
  std::string_view name;
  std::uint64_t nanos;
};
constexpr Unit kUnits[] = {
    {"ns", 1},
    {"us", 1'000},
    {"\xc2\xb5s", 1'000},  // U+00B5 micro sign
    {"\xce\xbcs", 1'000},  // U+03BC Greek small letter mu
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60'000'000'000},
    {"h", 3'600'000'000'000},
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

Error invalid(std::string_view text, std::string why) {
  return bad_request("invalid_duration", "duration \"" + std::string(text.substr(0, 64)) + "\" " + why +
                                             "; use Go syntax such as \"8760h\", \"2h45m\" or \"forever\"");
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  if (text == "forever") return Duration{std::string(text), std::nullopt};
  if (text.size() > 64) return invalid(text, "is too long");
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return invalid(text, "is empty");
  if (s == "0") return invalid(text, "is zero; a token needs a positive lifetime");
  std::uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || is_digit(s[0]))) return invalid(text, "is malformed");
    // Integer part.
    std::uint64_t v = 0;
    std::size_t i = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (v > kLimit / 10) return invalid(text, "overflows");
      v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
      if (v > kLimit) return invalid(text, "overflows");
    }
    const bool pre = i > 0;
    s.remove_prefix(i);
    // Fraction part (digits past int64 precision are ignored, as Go does).
    std::uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      bool overflow = false;
      std::size_t j = 0;
      for (; j < s.size() && is_digit(s[j]); ++j) {
        if (overflow) continue;
        if (f > (kLimit - 1) / 10) {
          overflow = true;
          continue;
        }
        const std::uint64_t y = f * 10 + static_cast<std::uint64_t>(s[j] - '0');
        if (y > kLimit) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s.remove_prefix(j);
    }
    if (!pre && !post) return invalid(text, "is malformed");
    // Unit: everything up to the next digit or dot.
    std::size_t u = 0;
    while (u < s.size() && s[u] != '.' && !is_digit(s[u])) ++u;
    if (u == 0) return invalid(text, "is missing a unit (ns, us, ms, s, m, h)");
    const std::string_view unit_name = s.substr(0, u);
    s.remove_prefix(u);
    const Unit* unit = nullptr;
    for (const auto& candidate : kUnits)
      if (candidate.name == unit_name) unit = &candidate;
    if (unit == nullptr)
      return invalid(text, "has unknown unit \"" + std::string(unit_name.substr(0, 16)) +
                               "\" (valid: ns, us, ms, s, m, h)");
    if (v > kLimit / unit->nanos) return invalid(text, "overflows");
    v *= unit->nanos;
    if (f > 0) {
      v += static_cast<std::uint64_t>(static_cast<double>(f) * (static_cast<double>(unit->nanos) / scale));
      if (v > kLimit) return invalid(text, "overflows");
    }
    total += v;
    if (total > kLimit) return invalid(text, "overflows");
  }
  if (neg && total != 0) return invalid(text, "is negative; a token needs a positive lifetime");
  if (total > kLimit - 1) return invalid(text, "overflows");
  if (total == 0) return invalid(text, "is zero; a token needs a positive lifetime");
  return Duration{std::string(text), std::chrono::nanoseconds(static_cast<std::int64_t>(total))};
}

std::optional<Time> expiry_after(Time now, const Duration& d) {
  if (d.forever()) return std::nullopt;
  return now + std::chrono::duration_cast<std::chrono::microseconds>(*d.length);
}

}  // namespace gatehouse
