#pragma once
// JWT verification for the edge (compat.md §2.3/§2.4): RS256 only, key chosen by kid
// from our own keys, aud/iss/exp/nbf/iat checked. Never throws; every refusal is a
// jwt_errc naming the first problem found.
#include "core/time.hpp"
#include "jwt/errc.hpp"
#include "jwt/jws_sign.hpp"

#include <boost/json/object.hpp>
#include <openssl/evp.h>

#include <chrono>
#include <functional>
#include <string_view>

namespace gatehouse {

// Returns the verification key for a kid, or nullptr if there is none. The key must
// stay alive until verify_jwt returns. Called at most once per verification, and must
// not throw (verification is exception-free).
using KeyLookup = std::function<EVP_PKEY*(std::string_view kid)>;

struct VerifyExpectations {
  std::string_view audience;  // must appear in `aud` (a string or an array of strings)
  std::string_view issuer;    // must equal `iss`, e.g. "https://team.example.com"
  Time now;
  std::chrono::seconds leeway{60};  // clock skew allowed for exp, nbf and iat (clamped to 0..1 day)
};

// Checks, in order: size (<= kMaxTokenBytes), three segments, strict base64url of each;
// header: strict JSON object (no duplicate names), alg == "RS256", no jwk/jku/x5u/x5c,
// no crit, typ absent or "JWT", kid a string known to `keys`, key RSA >= 2048 bits;
// the signature over the first two segments; payload: strict JSON object; claims:
// exp required and now < exp + leeway, nbf <= now + leeway, iat <= now + leeway,
// iss == issuer, audience in aud. An empty expected audience or issuer matches nothing.
// Returns the payload's claims.
JwtResult<boost::json::object> verify_jwt(std::string_view token, const KeyLookup& keys,
                                          const VerifyExpectations& expect);

}  // namespace gatehouse
