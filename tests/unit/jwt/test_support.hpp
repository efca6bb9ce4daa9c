#pragma once
// Shared fixtures for the jwt tests: keys (generated once per process: RSA keygen is
// slow under the sanitizers), the RFC 7515 Appendix A.2 key, and token crafting.
#include "jwt/jwt.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace gatehouse::testing {

// 2026-01-01T00:00:00Z: a fixed `now`; tests never read the wall clock.
inline const Time kNow = from_micros(1'767'225'600'000'000);
inline constexpr std::string_view kIssuer = "https://team.example.com";
inline constexpr std::string_view kAudience = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";

const SigningKey& test_key();   // the key the "gateway" signs with
const SigningKey& other_key();  // a second key (rotation, attacker)

// The private key of RFC 7515 Appendix A.2 (PKCS#8 PEM, converted from the RFC's JWK).
extern const std::string_view kRfc7515A2PrivateKeyPem;

// Looks up test_key() (and `extra` if given) by kid.
KeyLookup lookup(const SigningKey* extra = nullptr);

// compat.md §2.3 claims for a service token, valid for an hour from kNow.
boost::json::object service_token_claims();

inline VerifyExpectations expectations() {
  return VerifyExpectations{.audience = kAudience, .issuer = kIssuer, .now = kNow};
}

inline std::int64_t seconds_since_epoch(Time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// header.payload.signature from raw JSON texts, signed with RS256 by `key` (so that
// malformed or hostile contents can carry a valid signature).
std::string craft_token(std::string_view header_json, std::string_view payload_json, const SigningKey& key);

// A JSON string value as std::string (gtest cannot compare json::value with std::string).
inline std::string str(const boost::json::value& v) {
  const auto& s = v.as_string();
  return std::string(s.data(), s.size());
}

// The standard header of `key` as JSON text.
std::string standard_header(const SigningKey& key);

}  // namespace gatehouse::testing
