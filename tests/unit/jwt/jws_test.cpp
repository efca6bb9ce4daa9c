// sign_jwt → verify_jwt: what is accepted, and the claim rules at their boundaries.
// Attacks and malformed tokens are in jws_attacks_test.cpp.
#include "jwt/jws_sign.hpp"
#include "jwt/jws_verify.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

using namespace gatehouse::testing;
using namespace std::chrono_literals;

std::string sign(const boost::json::object& claims, const SigningKey& key = test_key()) {
  return sign_jwt(key, claims).value();
}

boost::system::error_code verify_error(const std::string& token, VerifyExpectations expect = expectations()) {
  auto r = verify_jwt(token, lookup(), expect);
  return r ? boost::system::error_code{} : r.error();
}

std::int64_t now_s() { return seconds_since_epoch(kNow); }

TEST(SignJwt, HeaderIsAlgKidTyp) {
  const std::string token = sign(service_token_claims());
  const std::string header = base64url_decode(token.substr(0, token.find('.'))).value();
  EXPECT_EQ(header, R"({"alg":"RS256","kid":")" + test_key().kid() + R"(","typ":"JWT"})");
}

TEST(SignJwt, PayloadIsTheClaimsAsGiven) {
  const auto claims = service_token_claims();
  const std::string token = sign(claims);
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  const std::string payload = base64url_decode(token.substr(first + 1, second - first - 1)).value();
  EXPECT_EQ(payload, boost::json::serialize(claims));
}

TEST(SignJwt, RefusesToIssueATokenLargerThan8KiB) {
  auto claims = service_token_claims();
  claims["pad"] = std::string(6000, 'x');
  auto r = sign_jwt(test_key(), claims);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), jwt_errc::too_large);
}

TEST(VerifyJwt, AcceptsATokenItSignedAndReturnsTheClaims) {
  const auto claims = service_token_claims();
  auto r = verify_jwt(sign(claims), lookup(), expectations());
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, claims);
  EXPECT_EQ(r->at("common_name"), "0123456789abcdef0123456789abcdef.access");
}

TEST(VerifyJwt, AcceptsAudienceAsAString) {
  auto claims = service_token_claims();
  claims["aud"] = kAudience;
  EXPECT_TRUE(verify_jwt(sign(claims), lookup(), expectations()));
}

TEST(VerifyJwt, AcceptsAudienceAmongSeveral) {
  auto claims = service_token_claims();
  claims["aud"] = boost::json::array{"other-app", kAudience, "third"};
  EXPECT_TRUE(verify_jwt(sign(claims), lookup(), expectations()));
}

TEST(VerifyJwt, AcceptsATokenOfThePreviousKeyWhileItIsPublished) {
  const std::string token = sign(service_token_claims(), other_key());
  EXPECT_EQ(verify_error(token), jwt_errc::unknown_kid);
  EXPECT_TRUE(verify_jwt(token, lookup(&other_key()), expectations()));
}

TEST(VerifyJwt, OptionalTimeClaimsMayBeAbsent) {
  auto claims = service_token_claims();
  claims.erase("nbf");
  claims.erase("iat");
  EXPECT_FALSE(verify_error(sign(claims)));
}

TEST(VerifyJwt, AcceptsFractionalNumericDates) {
  auto claims = service_token_claims();
  claims["exp"] = static_cast<double>(now_s()) + 0.5;
  VerifyExpectations e = expectations();
  e.leeway = 0s;
  EXPECT_FALSE(verify_error(sign(claims), e));
  e.now = kNow + 500ms;
  EXPECT_EQ(verify_error(sign(claims), e), jwt_errc::expired);
}

// RFC 7519 §4.1.4: rejected on or after exp, plus the leeway.
TEST(VerifyJwt, ExpiryHonoursTheLeeway) {
  auto claims = service_token_claims();
  claims["exp"] = now_s() - 59;
  EXPECT_FALSE(verify_error(sign(claims)));
  claims["exp"] = now_s() - 60;
  EXPECT_EQ(verify_error(sign(claims)), jwt_errc::expired);
  VerifyExpectations strict = expectations();
  strict.leeway = 0s;
  claims["exp"] = now_s() + 1;
  EXPECT_FALSE(verify_error(sign(claims), strict));
  claims["exp"] = now_s();
  EXPECT_EQ(verify_error(sign(claims), strict), jwt_errc::expired);
}

TEST(VerifyJwt, NotBeforeHonoursTheLeeway) {
  auto claims = service_token_claims();
  claims["nbf"] = now_s() + 60;
  EXPECT_FALSE(verify_error(sign(claims)));
  claims["nbf"] = now_s() + 61;
  EXPECT_EQ(verify_error(sign(claims)), jwt_errc::not_yet_valid);
}

TEST(VerifyJwt, IssuedAtHonoursTheLeeway) {
  auto claims = service_token_claims();
  claims["iat"] = now_s() + 60;
  EXPECT_FALSE(verify_error(sign(claims)));
  claims["iat"] = now_s() + 61;
  EXPECT_EQ(verify_error(sign(claims)), jwt_errc::issued_in_future);
}

TEST(VerifyJwt, HugeTimesSaturateInsteadOfOverflowing) {
  auto claims = service_token_claims();
  claims["exp"] = std::numeric_limits<std::int64_t>::max();
  EXPECT_FALSE(verify_error(sign(claims)));
  claims["exp"] = std::numeric_limits<std::uint64_t>::max();
  EXPECT_FALSE(verify_error(sign(claims)));
  claims["exp"] = 1e300;
  EXPECT_FALSE(verify_error(sign(claims)));
  claims["exp"] = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(verify_error(sign(claims)), jwt_errc::expired);
  claims["exp"] = -1e300;
  EXPECT_EQ(verify_error(sign(claims)), jwt_errc::expired);
}

TEST(VerifyJwt, AnEmptyExpectedAudienceOrIssuerMatchesNothing) {
  auto claims = service_token_claims();
  claims["aud"] = boost::json::array{""};
  claims["iss"] = "";
  VerifyExpectations e = expectations();
  e.issuer = "";
  EXPECT_EQ(verify_error(sign(claims), e), jwt_errc::issuer_mismatch);
  e = expectations();
  e.audience = "";
  claims["iss"] = kIssuer;
  EXPECT_EQ(verify_error(sign(claims), e), jwt_errc::audience_mismatch);
}

TEST(VerifyJwt, TypIsOptionalAndCaseInsensitive) {
  const std::string payload = boost::json::serialize(service_token_claims());
  const std::string kid = test_key().kid();
  EXPECT_FALSE(verify_error(craft_token(R"({"alg":"RS256","kid":")" + kid + R"("})", payload, test_key())));
  EXPECT_FALSE(verify_error(craft_token(R"({"alg":"RS256","kid":")" + kid + R"(","typ":"jwt"})", payload, test_key())));
}

TEST(VerifyJwt, AnEmptyKeyLookupFindsNothing) {
  auto r = verify_jwt(sign(service_token_claims()), KeyLookup{}, expectations());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), jwt_errc::unknown_kid);
}

}  // namespace
}  // namespace gatehouse
