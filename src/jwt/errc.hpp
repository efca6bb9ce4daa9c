#pragma once
// Errors of the jwt module are values: a fine-grained `jwt_errc` that tests assert exactly,
// each with a stable reason slug (access log, dashboard) and a message, from one table.
#include "core/error.hpp"

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string_view>
#include <type_traits>

namespace gatehouse {

enum class jwt_errc {
  // Token shape (checked before any cryptography).
  too_large = 1,          // more than kMaxTokenBytes
  malformed,              // not exactly three dot-separated segments
  bad_base64,             // a segment is not strict, unpadded base64url
  bad_json,               // a segment is not valid JSON
  duplicate_key,          // an object has the same member twice
  not_an_object,          // header or payload is valid JSON but not an object
  // Header.
  alg_not_allowed,        // alg missing or anything but "RS256" (none, HS256, PS256, ...)
  bad_typ,                // typ present and not "JWT"
  embedded_key,           // jwk, jku, x5u or x5c present: keys never come from the token
  crit_unsupported,       // crit present: we understand no extensions
  missing_kid,            // kid missing or not a string
  unknown_kid,            // no key with this kid
  key_unsuitable,         // the key found is not an RSA key of at least 2048 bits
  // Signature.
  bad_signature,
  // Claims.
  bad_claim_type,         // exp/nbf/iat not a number, iss not a string, aud not string(s)
  missing_exp,
  expired,
  not_yet_valid,          // nbf in the future (beyond the leeway)
  issued_in_future,       // iat in the future (beyond the leeway)
  missing_issuer,
  issuer_mismatch,
  missing_audience,
  audience_mismatch,
  // Keys and key storage (not on the verify path).
  key_invalid,            // PEM/DER that is not a usable RSA key of at least 2048 bits
  bad_argument,           // e.g. a certificate common name that X.509 cannot hold
  key_blob_malformed,     // not a "v1:" blob of the right length
  key_decrypt_failed,     // wrong master key or tampered blob (GCM tag mismatch)
  internal,               // OpenSSL failed where it should not
};

// Stable slug, e.g. "jwt_expired". Never changes once released.
std::string_view jwt_reason_slug(jwt_errc e) noexcept;
// The slug of a jwt_errc code; "jwt_internal" for codes of other categories.
std::string_view jwt_reason_slug(const boost::system::error_code& ec) noexcept;

const boost::system::error_category& jwt_category() noexcept;

inline boost::system::error_code make_error_code(jwt_errc e) noexcept {
  return {static_cast<int>(e), jwt_category()};
}

// The module's result type: the value or a jwt_errc (as an error_code).
template <class T>
using JwtResult = boost::system::result<T>;

// For callers that answer with the core Error: the slug and message of the code, with
// status 401 for token problems and 500 for key-storage and internal failures.
Error to_error(const boost::system::error_code& ec);

}  // namespace gatehouse

namespace boost::system {
template <>
struct is_error_code_enum<gatehouse::jwt_errc> : std::true_type {};
}  // namespace boost::system
