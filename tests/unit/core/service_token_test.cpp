#include "core/service_token.hpp"

#include <gtest/gtest.h>

using namespace gatehouse;
using namespace std::chrono;

namespace {
const Time kNow = from_micros(1'800'000'000'000'000);

ServiceToken token_with(std::string_view duration, Time created) {
  ServiceToken t;
  t.duration = *parse_duration(duration);
  t.created_at = t.updated_at = created;
  t.expires_at = expiry_after(created, t.duration);
  t.secret_hash = "h1";
  return t;
}
}  // namespace

TEST(Refresh, ExtendsALiveTokenFromItsExpiry) {
  auto t = token_with("72h", kNow);
  refresh(t, kNow + hours(1));
  EXPECT_EQ(*t.expires_at, kNow + hours(72) + hours(8760));
  EXPECT_EQ(t.updated_at, kNow + hours(1));
}

TEST(Refresh, ExtendsAnExpiredTokenFromNow) {
  auto t = token_with("1h", kNow);
  const Time later = kNow + hours(100);
  refresh(t, later);
  EXPECT_EQ(*t.expires_at, later + hours(8760));
}

TEST(Refresh, KeepsForeverForever) {
  auto t = token_with("forever", kNow);
  refresh(t, kNow);
  EXPECT_FALSE(t.expires_at.has_value());
}

TEST(ChangeDuration, ExpiryBecomesNowPlusTheNewDuration) {
  auto t = token_with("8760h", kNow);
  change_duration(t, *parse_duration("24h"), kNow + hours(5));
  EXPECT_EQ(*t.expires_at, kNow + hours(29));
  EXPECT_EQ(t.duration.text, "24h");
  change_duration(t, *parse_duration("forever"), kNow);
  EXPECT_FALSE(t.expires_at);
}

TEST(Rotate, KeepsThePreviousSecretUntilTheGraceInstant) {
  auto t = token_with("8760h", kNow);
  rotate(t, "h2", kNow + hours(1), kNow);
  EXPECT_EQ(t.secret_hash, "h2");
  EXPECT_EQ(*t.previous_secret_hash, "h1");
  EXPECT_EQ(t.client_secret_version, 2);
  EXPECT_TRUE(previous_secret_in_grace(t, kNow + minutes(59)));
  EXPECT_FALSE(previous_secret_in_grace(t, kNow + hours(1)));
}

TEST(Rotate, WithoutGraceRevokesThePreviousSecretAtOnce) {
  auto t = token_with("8760h", kNow);
  rotate(t, "h2", std::nullopt, kNow);
  EXPECT_EQ(*t.previous_client_secret_expires_at, kNow);
  EXPECT_FALSE(previous_secret_in_grace(t, kNow));
}

TEST(Rotate, APastGraceInstantMeansNow) {
  auto t = token_with("8760h", kNow);
  rotate(t, "h2", kNow - hours(3), kNow);
  EXPECT_EQ(*t.previous_client_secret_expires_at, kNow);
}

TEST(Rotate, TwiceDropsTheOldestSecret) {
  auto t = token_with("8760h", kNow);
  rotate(t, "h2", kNow + hours(1), kNow);
  rotate(t, "h3", kNow + hours(1), kNow);
  EXPECT_EQ(*t.previous_secret_hash, "h2");
  EXPECT_EQ(t.client_secret_version, 3);
}

TEST(Expiry, ExpiresExactlyAtTheInstant) {
  auto t = token_with("1h", kNow);
  EXPECT_FALSE(is_expired(t, kNow + hours(1) - microseconds(1)));
  EXPECT_TRUE(is_expired(t, kNow + hours(1)));
  EXPECT_FALSE(is_expired(token_with("forever", kNow), kNow + hours(1'000'000)));
}
