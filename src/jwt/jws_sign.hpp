#pragma once
// JWS compact serialization with RS256 (RFC 7515 §7.1), header
// {"alg":"RS256","kid":<kid>,"typ":"JWT"} as compat.md §2.3 fixes it.
#include "jwt/errc.hpp"
#include "jwt/rsa_key.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>

namespace gatehouse {

// No token above this size is issued or verified (verification refuses it before any work).
inline constexpr std::size_t kMaxTokenBytes = 8 * 1024;

// The payload is serialized as given (the caller sets iss, aud, iat, nbf, exp, ...).
// jwt_errc::too_large if the result would exceed kMaxTokenBytes.
JwtResult<std::string> sign_jwt(const SigningKey& key, const boost::json::object& payload);

}  // namespace gatehouse
