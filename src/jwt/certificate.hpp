#pragma once
// The self-signed X.509 certificate published next to each JWK in the JWKS
// (`public_cert` / `public_certs`, compat.md §2.6): some origin-side validators
// take the PEM certificate rather than the JWK.
#include "core/time.hpp"
#include "jwt/errc.hpp"

#include <openssl/evp.h>

#include <string>
#include <string_view>

namespace gatehouse {

// X.509 v3, subject = issuer = CN=<common_name> (the auth domain), valid from `now`
// (whole seconds) for 10 calendar years, SHA-256 with RSA, basicConstraints CA:FALSE,
// keyUsage digitalSignature, a subject key identifier. The serial number is derived
// from the key and `now`, so the function is deterministic for a given key and time.
// `key` must hold the private key (the certificate signs itself).
// jwt_errc::bad_argument if common_name is empty or longer than 64 bytes (RFC 5280 ub-common-name).
JwtResult<std::string> self_signed_certificate_pem(EVP_PKEY* key, std::string_view common_name, Time now);

}  // namespace gatehouse
