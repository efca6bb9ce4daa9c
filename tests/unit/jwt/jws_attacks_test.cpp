// Every known way to get a forged, misdirected or mangled JWT past a verifier, each
// refused with its exact jwt_errc.
#include "jwt/jws_verify.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>
#include <openssl/hmac.h>

namespace gatehouse {
namespace {

using namespace gatehouse::testing;

boost::system::error_code verify_error(std::string_view token) {
  auto r = verify_jwt(token, lookup(), expectations());
  return r ? boost::system::error_code{} : r.error();
}

std::string claims_json() { return boost::json::serialize(service_token_claims()); }

std::string valid_token() { return sign_jwt(test_key(), service_token_claims()).value(); }

std::string kid_member() { return R"("kid":")" + test_key().kid() + R"(")"; }

// The token with its third segment replaced.
std::string with_signature(const std::string& token, std::string_view signature_b64) {
  return token.substr(0, token.rfind('.') + 1) + std::string(signature_b64);
}

// A token whose header is `header_json` and whose signature is a correct RS256
// signature by test_key(): only the header can be the reason for a refusal.
std::string token_with_header(std::string_view header_json) {
  return craft_token(header_json, claims_json(), test_key());
}

// A token whose claims are `claims`, correctly signed by test_key().
std::string token_with_claims(const boost::json::object& claims) { return sign_jwt(test_key(), claims).value(); }

TEST(JwtAttack, ValidTokenIsTheBaseline) { EXPECT_FALSE(verify_error(valid_token())); }

// alg "none" (RFC 7519 §6): an unsecured JWT, with an empty or any signature.
TEST(JwtAttack, AlgNoneIsRefused) {
  for (const char* alg : {"none", "None", "NONE", "nOnE"}) {
    const std::string header = std::string(R"({"alg":")") + alg + R"(",)" + kid_member() + R"(,"typ":"JWT"})";
    const std::string unsigned_token = base64url_encode(header) + "." + base64url_encode(claims_json()) + ".";
    EXPECT_EQ(verify_error(unsigned_token), jwt_errc::alg_not_allowed) << alg;
    EXPECT_EQ(verify_error(token_with_header(header)), jwt_errc::alg_not_allowed) << alg;
  }
}

// The classic key-confusion attack: HS256 with the RSA public key's PEM bytes as the
// HMAC secret. A verifier that picks the algorithm from the token would accept it.
TEST(JwtAttack, Hs256SignedWithThePublicKeyPemIsRefused) {
  const std::string public_pem = public_key_pem(test_key().pkey()).value();
  const std::string header = R"({"alg":"HS256",)" + kid_member() + R"(,"typ":"JWT"})";
  const std::string input = base64url_encode(header) + "." + base64url_encode(claims_json());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  ASSERT_NE(HMAC(EVP_sha256(), public_pem.data(), static_cast<int>(public_pem.size()),
                 reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_len),
            nullptr);
  const std::string token = input + "." + base64url_encode(std::span<const std::uint8_t>(mac, mac_len));
  EXPECT_EQ(verify_error(token), jwt_errc::alg_not_allowed);
}

TEST(JwtAttack, OtherAlgorithmsAreRefused) {
  for (const char* alg : {"HS256", "HS512", "RS384", "RS512", "PS256", "ES256", "EdDSA", "rs256", "RS256 ", ""}) {
    const std::string header = std::string(R"({"alg":")") + alg + R"(",)" + kid_member() + "}";
    EXPECT_EQ(verify_error(token_with_header(header)), jwt_errc::alg_not_allowed) << alg;
  }
}

TEST(JwtAttack, MissingOrNonStringAlgIsRefused) {
  for (const std::string alg_member : {"", R"("alg":null,)", R"("alg":["RS256"],)", R"("alg":1,)"}) {
    const std::string header = "{" + alg_member + kid_member() + "}";
    EXPECT_EQ(verify_error(token_with_header(header)), jwt_errc::alg_not_allowed) << header;
  }
}

TEST(JwtAttack, UnknownKidIsRefused) {
  // Correctly signed, by a key the gateway does not have.
  EXPECT_EQ(verify_error(sign_jwt(other_key(), service_token_claims()).value()), jwt_errc::unknown_kid);
  EXPECT_EQ(verify_error(token_with_header(R"({"alg":"RS256","kid":"00"})")), jwt_errc::unknown_kid);
}

TEST(JwtAttack, MissingOrNonStringKidIsRefused) {
  EXPECT_EQ(verify_error(token_with_header(R"({"alg":"RS256"})")), jwt_errc::missing_kid);
  EXPECT_EQ(verify_error(token_with_header(R"({"alg":"RS256","kid":7})")), jwt_errc::missing_kid);
  EXPECT_EQ(verify_error(token_with_header(R"({"alg":"RS256","kid":null})")), jwt_errc::missing_kid);
}

// The token names a known kid but was signed by the attacker's key.
TEST(JwtAttack, KnownKidWithAnotherKeysSignatureIsRefused) {
  const std::string token = craft_token(standard_header(test_key()), claims_json(), other_key());
  EXPECT_EQ(verify_error(token), jwt_errc::bad_signature);
}

// RFC 8725 §3.10: keys and key locations from the token are never used; the token is refused.
TEST(JwtAttack, EmbeddedJwkIsRefused) {
  const auto jwk = boost::json::serialize(public_jwk(other_key().pkey()).value());
  const std::string header = R"({"alg":"RS256",)" + kid_member() + R"(,"jwk":)" + jwk + "}";
  EXPECT_EQ(verify_error(craft_token(header, claims_json(), other_key())), jwt_errc::embedded_key);
}

TEST(JwtAttack, JkuX5uAndX5cAreRefused) {
  for (const std::string member : {R"("jku":"https://attacker.example/jwks")", R"("x5u":"https://attacker.example/c")",
                                   R"("x5c":["MIIB"])"}) {
    const std::string header = R"({"alg":"RS256",)" + kid_member() + "," + member + "}";
    EXPECT_EQ(verify_error(token_with_header(header)), jwt_errc::embedded_key) << member;
  }
}

TEST(JwtAttack, CriticalExtensionsAreRefused) {
  const std::string header = R"({"alg":"RS256",)" + kid_member() + R"(,"crit":["b64"],"b64":false})";
  EXPECT_EQ(verify_error(token_with_header(header)), jwt_errc::crit_unsupported);
}

TEST(JwtAttack, ForeignTypIsRefused) {
  for (const std::string typ : {R"("at+jwt")", R"("JWE")", "1"}) {
    const std::string header = R"({"alg":"RS256",)" + kid_member() + R"(,"typ":)" + typ + "}";
    EXPECT_EQ(verify_error(token_with_header(header)), jwt_errc::bad_typ) << typ;
  }
}

TEST(JwtAttack, KidResolvingToANonRsaKeyIsRefused) {
  PkeyPtr ec(EVP_EC_gen("P-256"));
  PkeyPtr small(EVP_RSA_gen(1024));
  for (EVP_PKEY* key : {ec.get(), small.get()}) {
    auto r = verify_jwt(valid_token(), [key](std::string_view) { return key; }, expectations());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), jwt_errc::key_unsuitable);
  }
}

TEST(JwtAttack, ExpiredTokenIsRefused) {
  auto claims = service_token_claims();
  claims["exp"] = seconds_since_epoch(kNow) - 3600;
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::expired);
}

TEST(JwtAttack, MissingExpIsRefused) {
  auto claims = service_token_claims();
  claims.erase("exp");
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::missing_exp);
}

TEST(JwtAttack, NonNumericTimeClaimsAreRefused) {
  for (const char* name : {"exp", "nbf", "iat"}) {
    for (const boost::json::value& bad : {boost::json::value("1767229200"), boost::json::value(nullptr),
                                         boost::json::value(true), boost::json::value(boost::json::array{1})}) {
      auto claims = service_token_claims();
      claims[name] = bad;
      EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::bad_claim_type) << name << " " << bad;
    }
  }
}

TEST(JwtAttack, NotBeforeInTheFutureIsRefused) {
  auto claims = service_token_claims();
  claims["nbf"] = seconds_since_epoch(kNow) + 3600;
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::not_yet_valid);
}

TEST(JwtAttack, IssuedInTheFutureIsRefused) {
  auto claims = service_token_claims();
  claims["iat"] = seconds_since_epoch(kNow) + 3600;
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::issued_in_future);
}

// compat.md §2.3: a JWT for app A is refused at app B.
TEST(JwtAttack, WrongAudienceIsRefused) {
  auto claims = service_token_claims();
  claims["aud"] = boost::json::array{"another-app-aud"};
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::audience_mismatch);
  claims["aud"] = "another-app-aud";
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::audience_mismatch);
  claims["aud"] = boost::json::array{};
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::audience_mismatch);
  claims["aud"] = std::string(kAudience) + "x";
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::audience_mismatch);
}

TEST(JwtAttack, MissingOrMistypedAudienceIsRefused) {
  auto claims = service_token_claims();
  claims.erase("aud");
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::missing_audience);
  claims["aud"] = boost::json::array{kAudience, 1};
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::bad_claim_type);
  claims["aud"] = boost::json::object{{"aud", kAudience}};
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::bad_claim_type);
}

TEST(JwtAttack, WrongIssuerIsRefused) {
  auto claims = service_token_claims();
  claims["iss"] = "https://attacker.example.com";
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::issuer_mismatch);
  claims["iss"] = "https://TEAM.example.com";
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::issuer_mismatch);
}

TEST(JwtAttack, MissingOrMistypedIssuerIsRefused) {
  auto claims = service_token_claims();
  claims.erase("iss");
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::missing_issuer);
  claims["iss"] = boost::json::array{kIssuer};
  EXPECT_EQ(verify_error(token_with_claims(claims)), jwt_errc::bad_claim_type);
}

// Every one of the 2048 signature bits matters.
TEST(JwtAttack, EverySingleBitFlipOfTheSignatureIsRefused) {
  const std::string token = valid_token();
  const std::string signature = base64url_decode(std::string_view(token).substr(token.rfind('.') + 1)).value();
  ASSERT_EQ(signature.size(), 256u);
  for (std::size_t bit = 0; bit < signature.size() * 8; ++bit) {
    std::string flipped = signature;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    ASSERT_EQ(verify_error(with_signature(token, base64url_encode(flipped))), jwt_errc::bad_signature) << bit;
  }
}

// The signature covers the payload: any flipped payload bit is a bad signature (the
// payload is only parsed after the signature verifies).
TEST(JwtAttack, EverySingleBitFlipOfThePayloadIsRefused) {
  const std::string header = standard_header(test_key());
  const std::string token = valid_token();
  const std::string payload = claims_json();
  const std::string signature_b64 = token.substr(token.rfind('.') + 1);
  for (std::size_t bit = 0; bit < payload.size() * 8; ++bit) {
    std::string flipped = payload;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    const std::string forged = base64url_encode(header) + "." + base64url_encode(flipped) + "." + signature_b64;
    ASSERT_EQ(verify_error(forged), jwt_errc::bad_signature) << bit;
  }
}

TEST(JwtAttack, EveryTruncationIsRefused) {
  const std::string token = valid_token();
  for (std::size_t len = 0; len < token.size(); ++len) {
    EXPECT_TRUE(verify_error(std::string_view(token).substr(0, len))) << len;
  }
}

TEST(JwtAttack, TruncationsAreReportedPrecisely) {
  const std::string token = valid_token();
  const auto last_dot = token.rfind('.');
  EXPECT_EQ(verify_error(""), jwt_errc::malformed);
  EXPECT_EQ(verify_error(token.substr(0, token.find('.'))), jwt_errc::malformed);
  EXPECT_EQ(verify_error(token.substr(0, last_dot)), jwt_errc::malformed);
  EXPECT_EQ(verify_error(token.substr(0, last_dot + 1)), jwt_errc::bad_signature);          // empty signature
  EXPECT_EQ(verify_error(token.substr(0, token.size() - 1)), jwt_errc::bad_base64);         // 341 characters
  EXPECT_EQ(verify_error(token.substr(0, token.size() - 2)), jwt_errc::bad_signature);      // 255 bytes
}

TEST(JwtAttack, OversizedTokenIsRefusedBeforeAnyWork) {
  EXPECT_EQ(verify_error(std::string(kMaxTokenBytes + 1, 'a')), jwt_errc::too_large);
  // Even a correctly signed one.
  auto claims = service_token_claims();
  claims["pad"] = std::string(6000, 'x');
  const std::string big = craft_token(standard_header(test_key()), boost::json::serialize(claims), test_key());
  ASSERT_GT(big.size(), kMaxTokenBytes);
  EXPECT_EQ(verify_error(big), jwt_errc::too_large);
}

TEST(JwtAttack, TokenOfExactlyTheLimitIsAccepted) {
  // base64url lengths skip every 4k+1, so try two header lengths to hit 8192 exactly.
  const std::string headers[] = {standard_header(test_key()), R"({"alg":"RS256",)" + kid_member() + "}"};
  std::string token;
  for (const auto& header : headers) {
    for (std::size_t pad = 5000; pad < 6200 && token.size() != kMaxTokenBytes; ++pad) {
      auto claims = service_token_claims();
      claims["pad"] = std::string(pad, 'x');
      token = craft_token(header, boost::json::serialize(claims), test_key());
    }
  }
  ASSERT_EQ(token.size(), kMaxTokenBytes);
  EXPECT_FALSE(verify_error(token));
}

TEST(JwtAttack, MalformedBase64urlIsRefused) {
  const std::string token = valid_token();
  const auto first = token.find('.');
  const auto last = token.rfind('.');
  std::string plus_in_signature = token;
  plus_in_signature[last + 5] = '+';
  std::string slash_in_payload = token;
  slash_in_payload[first + 3] = '/';
  const std::string padded_header = token.substr(0, first) + "=" + token.substr(first);
  std::string space_in_header = token;
  space_in_header[2] = ' ';
  for (const std::string& bad : {plus_in_signature, slash_in_payload, padded_header, space_in_header,
                                 token + "=", token + "\n"}) {
    EXPECT_EQ(verify_error(bad), jwt_errc::bad_base64) << bad;
  }
}

TEST(JwtAttack, MalformedJsonHeaderIsRefused) {
  for (const char* header : {"{", R"({"alg":"RS256",})", "{\"alg\":\"RS256\"} x", "alg=RS256", ""}) {
    EXPECT_EQ(verify_error(token_with_header(header)), jwt_errc::bad_json) << header;
  }
}

TEST(JwtAttack, MalformedJsonPayloadIsRefused) {
  for (const char* payload : {"{", R"({"exp":1,})", "{\"exp\":1}{}", "exp=1", ""}) {
    EXPECT_EQ(verify_error(craft_token(standard_header(test_key()), payload, test_key())), jwt_errc::bad_json)
        << payload;
  }
}

TEST(JwtAttack, HeaderOrPayloadThatIsNotAnObjectIsRefused) {
  EXPECT_EQ(verify_error(token_with_header(R"(["RS256"])")), jwt_errc::not_an_object);
  EXPECT_EQ(verify_error(craft_token(standard_header(test_key()), R"("claims")", test_key())),
            jwt_errc::not_an_object);
  EXPECT_EQ(verify_error(craft_token(standard_header(test_key()), "[]", test_key())), jwt_errc::not_an_object);
}

// A parser that keeps the first (or last) duplicate would read "RS256" here.
TEST(JwtAttack, DuplicateHeaderMembersAreRefused) {
  EXPECT_EQ(verify_error(token_with_header(R"({"alg":"none","alg":"RS256",)" + kid_member() + "}")),
            jwt_errc::duplicate_key);
  EXPECT_EQ(verify_error(token_with_header(R"({"alg":"RS256",)" + kid_member() + "," + kid_member() + "}")),
            jwt_errc::duplicate_key);
}

// Two aud claims: one verifier could check one and an origin read the other.
TEST(JwtAttack, DuplicateClaimsAreRefused) {
  std::string payload = claims_json();
  payload.pop_back();
  payload += R"(,"aud":["another-app-aud"]})";
  EXPECT_EQ(verify_error(craft_token(standard_header(test_key()), payload, test_key())), jwt_errc::duplicate_key);
}

// Four segments, or the five of a JWE, or a trailing dot.
TEST(JwtAttack, ExtraSegmentsAreRefused) {
  const std::string token = valid_token();
  EXPECT_EQ(verify_error(token + "."), jwt_errc::malformed);
  EXPECT_EQ(verify_error(token + ".AAAA"), jwt_errc::malformed);
  EXPECT_EQ(verify_error(token + ".AAAA.AAAA"), jwt_errc::malformed);
  EXPECT_EQ(verify_error("." + token), jwt_errc::malformed);
  EXPECT_EQ(verify_error(".."), jwt_errc::bad_json);  // three (empty) segments: the empty header is not JSON
}

}  // namespace
}  // namespace gatehouse
