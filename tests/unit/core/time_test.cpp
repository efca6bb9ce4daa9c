#include "core/time.hpp"

#include <gtest/gtest.h>

using namespace gatehouse;
using namespace std::chrono;

TEST(Rfc3339, FormatsWholeSecondsWithoutFraction) {
  EXPECT_EQ(format_rfc3339(from_micros(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(from_micros(1'764'336'903'000'000)), "2025-11-28T13:35:03Z");
}

TEST(Rfc3339, FormatsFractionTrimmed) {
  EXPECT_EQ(format_rfc3339(from_micros(1'500'000)), "1970-01-01T00:00:01.5Z");
  EXPECT_EQ(format_rfc3339(from_micros(1'000'123)), "1970-01-01T00:00:01.000123Z");
}

TEST(Rfc3339, RoundTrips) {
  for (std::int64_t us : {0LL, 1LL, 999'999LL, 1'764'336'903'123'456LL, 253'402'300'799'000'000LL}) {
    auto t = parse_rfc3339(format_rfc3339(from_micros(us)), "t");
    ASSERT_TRUE(t) << us;
    EXPECT_EQ(to_micros(*t), us);
  }
}

TEST(Rfc3339, ParsesOffsetsAndLowercase) {
  const auto utc = parse_rfc3339("2026-01-02T15:04:05Z", "t");
  ASSERT_TRUE(utc);
  EXPECT_EQ(*parse_rfc3339("2026-01-02T17:04:05+02:00", "t"), *utc);
  EXPECT_EQ(*parse_rfc3339("2026-01-02T10:04:05-05:00", "t"), *utc);
  EXPECT_EQ(*parse_rfc3339("2026-01-02t15:04:05z", "t"), *utc);
  EXPECT_EQ(*parse_rfc3339("2026-01-02T15:04:05.000000000Z", "t"), *utc);
}

TEST(Rfc3339, RefusesMalformedWithTheFieldNamed) {
  for (const char* bad : {"", "2026-01-02", "2026-01-02T15:04:05", "2026-13-02T15:04:05Z", "2026-02-30T15:04:05Z",
                          "2026-01-02T24:00:00Z", "2026-01-02T15:04:05.Z", "2026-01-02T15:04:05Zjunk",
                          "2026-01-02 15:04:05Z", "tomorrow", "2026-01-02T15:04:05+0200"}) {
    auto t = parse_rfc3339(bad, "expires_on");
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().slug, "invalid_timestamp");
    EXPECT_NE(t.error().message.find("expires_on"), std::string::npos);
  }
}

TEST(Rfc3339, RefusesInstantsPastYear9999) {
  // It could not be written back as RFC 3339 (five-digit year).
  EXPECT_FALSE(parse_rfc3339("9999-12-31T23:59:59-23:59", "t"));
  EXPECT_TRUE(parse_rfc3339("9999-12-31T23:59:59Z", "t"));
}

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(from_micros(5));
  EXPECT_EQ(to_micros(clock.now()), 5);
  clock.advance(microseconds(10));
  EXPECT_EQ(to_micros(clock.now()), 15);
}
