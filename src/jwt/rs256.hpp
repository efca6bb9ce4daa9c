#pragma once
// The RS256 primitive (RFC 7518 §3.3): RSASSA-PKCS1-v1_5 with SHA-256 over raw bytes.
// The JWS layer (jws.hpp) builds on these; the Wycheproof suite tests them directly.
#include "jwt/errc.hpp"

#include <openssl/evp.h>

#include <string>
#include <string_view>

namespace gatehouse {

// The signature (modulus-sized, big-endian bytes) over `message`.
// jwt_errc::key_invalid unless is_rs256_key(key).
JwtResult<std::string> sign_rs256_signature(EVP_PKEY* key, std::string_view message);

// True only if `signature` is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `message`
// under `key`, an RSA key of at least 2048 bits; the signature must be exactly the
// modulus size (RFC 8017 §8.2.2 step 1). Never throws; every failure is `false`.
bool verify_rs256_signature(EVP_PKEY* key, std::string_view message, std::string_view signature) noexcept;

}  // namespace gatehouse
