#pragma once
// The JWKS document served at /cdn-cgi/access/certs (compat.md §2.6):
// {"keys":[jwk, ...], "public_cert":{"kid","cert"}, "public_certs":[{"kid","cert"}, ...]}
// with the current key first, then the previous keys still published (rotated out
// less than 7 days ago, compat.md §1.4).
#include "core/time.hpp"
#include "jwt/errc.hpp"

#include <boost/json/object.hpp>
#include <openssl/evp.h>

#include <span>
#include <string>
#include <string_view>

namespace gatehouse {

// What the JWKS publishes about one key; computed once per key and stored with it.
struct PublishedKey {
  std::string kid;
  boost::json::object jwk;  // public_jwk()
  std::string cert_pem;     // self_signed_certificate_pem()
};

// From the private key: kid, JWK and a certificate for CN=<auth_domain> valid from `now`.
JwtResult<PublishedKey> publish_key(EVP_PKEY* private_key, std::string_view auth_domain, Time now);

// `public_cert` is the current key's; `keys` and `public_certs` list current then previous.
boost::json::object build_jwks(const PublishedKey& current, std::span<const PublishedKey> previous);

}  // namespace gatehouse
