#pragma once
// The jwt module's public header: JWS RS256 issue and verify, the signing keys and
// their storage, and the JWKS. Pure functions over bytes and a `now`; errors on the
// request path are jwt_errc values.
#include "jwt/base64url.hpp"       // strict base64url
#include "jwt/certificate.hpp"     // self-signed X.509 for public_cert(s)
#include "jwt/errc.hpp"            // jwt_errc, reason slugs, JwtResult
#include "jwt/jwks.hpp"            // /cdn-cgi/access/certs document
#include "jwt/jws_sign.hpp"        // sign_jwt
#include "jwt/jws_verify.hpp"      // verify_jwt
#include "jwt/key_encryption.hpp"  // AES-256-GCM blobs for keys at rest
#include "jwt/master_key.hpp"      // master key from env or key file (start-up)
#include "jwt/ossl.hpp"            // RAII owners for OpenSSL handles
#include "jwt/rs256.hpp"           // the RS256 signature primitive
#include "jwt/rsa_key.hpp"         // generation, kid, PEM, JWK
#include "jwt/strict_json.hpp"     // duplicate-rejecting JSON object parser
