#include "auth/service_token_auth.hpp"

#include "core/ids.hpp"
#include "crypto/crypto.hpp"

#include <gtest/gtest.h>

using namespace gatehouse;
using namespace std::chrono;

namespace {

const Time kNow = from_micros(1'800'000'000'000'000);

struct Fixture {
  SeededRandom random{42};
  std::string secret = new_client_secret(random);
  ServiceToken token;
  Fixture() {
    token.duration = *parse_duration("72h");
    token.expires_at = kNow + hours(72);
    token.secret_hash = sha256_hex(secret);
  }
};

}  // namespace

TEST(CheckClientSecret, AcceptsTheCurrentSecret) {
  Fixture f;
  auto r = check_client_secret(f.token, f.secret, kNow);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.client_secret_version, 1);
}

TEST(CheckClientSecret, RefusesAWrongButWellFormedSecret) {
  Fixture f;
  auto r = check_client_secret(f.token, new_client_secret(f.random), kNow);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "bad_secret");
}

TEST(CheckClientSecret, RefusesAMistypedSecretOnTheChecksum) {
  Fixture f;
  std::string typo = f.secret;
  typo[10] = typo[10] == 'a' ? 'b' : 'a';
  EXPECT_EQ(check_client_secret(f.token, typo, kNow).reason, "bad_secret");
  EXPECT_EQ(check_client_secret(f.token, "", kNow).reason, "bad_secret");
}

TEST(CheckClientSecret, RefusesExpiredAndDisabledOnlyWithTheRightSecret) {
  Fixture f;
  EXPECT_EQ(check_client_secret(f.token, f.secret, kNow + hours(72)).reason, "service_token_expired");
  f.token.enabled = false;
  EXPECT_EQ(check_client_secret(f.token, f.secret, kNow).reason, "service_token_disabled");
  // Without the secret a caller learns nothing about the token's state.
  EXPECT_EQ(check_client_secret(f.token, new_client_secret(f.random), kNow).reason, "bad_secret");
}

TEST(CheckClientSecret, AcceptsThePreviousSecretUntilTheGraceInstantAndNotAfter) {
  Fixture f;
  const std::string old_secret = f.secret;
  const std::string new_secret = new_client_secret(f.random);
  rotate(f.token, sha256_hex(new_secret), kNow + hours(1), kNow);

  auto before = check_client_secret(f.token, old_secret, kNow + hours(1) - microseconds(1));
  EXPECT_TRUE(before.ok);
  EXPECT_EQ(before.client_secret_version, 1);
  EXPECT_EQ(check_client_secret(f.token, old_secret, kNow + hours(1)).reason, "bad_secret");
  auto current = check_client_secret(f.token, new_secret, kNow + hours(2));
  EXPECT_TRUE(current.ok);
  EXPECT_EQ(current.client_secret_version, 2);
}

TEST(CheckClientSecret, RotationWithoutGraceRefusesTheOldSecretImmediately) {
  Fixture f;
  const std::string old_secret = f.secret;
  rotate(f.token, sha256_hex(new_client_secret(f.random)), std::nullopt, kNow);
  EXPECT_EQ(check_client_secret(f.token, old_secret, kNow).reason, "bad_secret");
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(Sha256, MatchesTheFipsVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
