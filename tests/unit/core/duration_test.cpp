#include "core/duration.hpp"

#include <gtest/gtest.h>

using namespace gatehouse;
using namespace std::chrono;

namespace {
nanoseconds parse_ok(std::string_view s) {
  auto d = parse_duration(s);
  EXPECT_TRUE(d.has_value()) << s << ": " << (d ? "" : d.error().message);
  return d && d->length ? *d->length : nanoseconds(-1);
}
std::string parse_error(std::string_view s) {
  auto d = parse_duration(s);
  EXPECT_FALSE(d.has_value()) << s << " should be refused";
  return d ? std::string() : d.error().message;
}
}  // namespace

TEST(Duration, AcceptsGoSyntax) {
  EXPECT_EQ(parse_ok("300ms"), milliseconds(300));
  EXPECT_EQ(parse_ok("2h45m"), hours(2) + minutes(45));
  EXPECT_EQ(parse_ok("8760h"), hours(8760));
  EXPECT_EQ(parse_ok("1.5h"), minutes(90));
  EXPECT_EQ(parse_ok(".5s"), milliseconds(500));
  EXPECT_EQ(parse_ok("1.s"), seconds(1));
  EXPECT_EQ(parse_ok("+5m"), minutes(5));
  EXPECT_EQ(parse_ok("1h2m3s4ms5us6ns"), hours(1) + minutes(2) + seconds(3) + milliseconds(4) + microseconds(5) + nanoseconds(6));
  EXPECT_EQ(parse_ok("3\xc2\xb5s"), microseconds(3));
  EXPECT_EQ(parse_ok("3\xce\xbcs"), microseconds(3));
  EXPECT_EQ(parse_ok("2562047h"), hours(2562047));  // Go's largest whole-hour duration
}

TEST(Duration, ForeverHasNoLength) {
  auto d = parse_duration("forever");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->forever());
  EXPECT_EQ(d->text, "forever");
}

TEST(Duration, KeepsTheTextAsWritten) { EXPECT_EQ(parse_duration("2h45m")->text, "2h45m"); }

TEST(Duration, RefusesZeroAndNegative) {
  EXPECT_NE(parse_error("0").find("zero"), std::string::npos);
  EXPECT_NE(parse_error("0s").find("zero"), std::string::npos);
  EXPECT_NE(parse_error("0h0m").find("zero"), std::string::npos);
  EXPECT_NE(parse_error("-1h").find("negative"), std::string::npos);
  EXPECT_NE(parse_error("-0.5s").find("negative"), std::string::npos);
}

TEST(Duration, RefusesUnknownUnitsAndMalformedText) {
  EXPECT_NE(parse_error("1y").find("unknown unit \"y\""), std::string::npos);
  EXPECT_NE(parse_error("1d").find("unknown unit"), std::string::npos);
  EXPECT_NE(parse_error("10").find("missing a unit"), std::string::npos);
  EXPECT_NE(parse_error("").find("empty"), std::string::npos);
  parse_error("h");
  parse_error(".h");
  parse_error("1h ");
  parse_error(" 1h");
  parse_error("1..5h");
  parse_error("forever ");
  parse_error("Forever");
  parse_error("-");
}

TEST(Duration, RefusesOverflowWithoutWrapping) {
  EXPECT_NE(parse_error("99999999999h").find("overflows"), std::string::npos);
  EXPECT_NE(parse_error("2562048h").find("overflows"), std::string::npos);
  EXPECT_NE(parse_error("9223372036854775808ns").find("overflows"), std::string::npos);
  EXPECT_NE(parse_error("99999999999999999999999s").find("overflows"), std::string::npos);
  EXPECT_NE(parse_error("2562047h2562047h").find("overflows"), std::string::npos);
}

TEST(Duration, ErrorsUseTheInvalidDurationSlug) {
  auto d = parse_duration("1y");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().slug, "invalid_duration");
  EXPECT_EQ(d.error().http_status, 400);
}

TEST(Duration, ExpiryAfterAddsLengthAndForeverNeverExpires) {
  const Time now = from_micros(1'700'000'000'000'000);
  EXPECT_EQ(expiry_after(now, *parse_duration("72h")), now + hours(72));
  EXPECT_FALSE(expiry_after(now, *parse_duration("forever")).has_value());
  // The longest Go duration added to now stays representable.
  EXPECT_GT(*expiry_after(now, *parse_duration("2562047h")), now);
}
