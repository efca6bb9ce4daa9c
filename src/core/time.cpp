#include "core/time.hpp"

#include <cstdio>

namespace gatehouse {

Time SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string format_rfc3339(Time t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const auto in_day = t - day;
  const auto h = duration_cast<hours>(in_day);
  const auto m = duration_cast<minutes>(in_day - h);
  const auto s = duration_cast<seconds>(in_day - h - m);
  const auto us = duration_cast<microseconds>(in_day - h - m - s).count();
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                        static_cast<int>(h.count()), static_cast<int>(m.count()),
                        static_cast<int>(s.count()));
  std::string out(buf, static_cast<std::size_t>(n));
  if (us != 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%06lld", static_cast<long long>(us));
    std::string f(frac);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  out += 'Z';
  return out;
}

namespace {

bool read_digits(std::string_view s, std::size_t& pos, std::size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += count;
  out = v;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char a, char b = '\0') {
  if (pos >= s.size()) return false;
  if (s[pos] != a && (b == '\0' || s[pos] != b)) return false;
  ++pos;
  return true;
}

}  // namespace

Result<Time> parse_rfc3339(std::string_view s, std::string_view field) {
  using namespace std::chrono;
  auto fail = [&] {
    return bad_request("invalid_timestamp", std::string(field) + " must be an RFC 3339 date-time such as "
                                              "\"2026-01-02T15:04:05Z\", got \"" +
                                              std::string(s.substr(0, 64)) + "\"");
  };
  std::size_t pos = 0;
  int Y = 0, M = 0, D = 0, h = 0, m = 0, sec = 0;
  if (!read_digits(s, pos, 4, Y) || !expect(s, pos, '-') || !read_digits(s, pos, 2, M) ||
      !expect(s, pos, '-') || !read_digits(s, pos, 2, D) || !expect(s, pos, 'T', 't') ||
      !read_digits(s, pos, 2, h) || !expect(s, pos, ':') || !read_digits(s, pos, 2, m) ||
      !expect(s, pos, ':') || !read_digits(s, pos, 2, sec))
    return fail();
  const year_month_day ymd{year{Y}, month{static_cast<unsigned>(M)}, day{static_cast<unsigned>(D)}};
  if (!ymd.ok() || h > 23 || m > 59 || sec > 60) return fail();
  std::int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return fail();
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  int offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!read_digits(s, pos, 2, oh) || !expect(s, pos, ':') || !read_digits(s, pos, 2, om) || oh > 23 ||
        om > 59)
      return fail();
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return fail();
  }
  if (pos != s.size()) return fail();
  if (sec == 60) sec = 59;  // leap second: clamp, chrono has no representation for it
  Time t = time_point_cast<microseconds>(sys_days{ymd}) + hours{h} + minutes{m} + seconds{sec} +
           microseconds{micros} - minutes{offset_minutes};
  // An offset can carry 9999-12-31 past the last instant RFC 3339 can write back.
  if (year_month_day{floor<days>(t)}.year() > year{9999} || year_month_day{floor<days>(t)}.year() < year{0})
    return fail();
  return t;
}

}  // namespace gatehouse
