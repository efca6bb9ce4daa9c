#include "jwt/jwks.hpp"

#include "jwt/certificate.hpp"
#include "jwt/rsa_key.hpp"

#include <boost/json/array.hpp>

namespace gatehouse {
namespace {

boost::json::object cert_entry(const PublishedKey& key) {
  boost::json::object entry;
  entry["kid"] = key.kid;
  entry["cert"] = key.cert_pem;
  return entry;
}

}  // namespace

JwtResult<PublishedKey> publish_key(EVP_PKEY* private_key, std::string_view auth_domain, Time now) {
  auto kid = key_id(private_key);
  if (!kid) return kid.error();
  auto jwk = public_jwk(private_key);
  if (!jwk) return jwk.error();
  auto cert = self_signed_certificate_pem(private_key, auth_domain, now);
  if (!cert) return cert.error();
  return PublishedKey{std::move(*kid), std::move(*jwk), std::move(*cert)};
}

boost::json::object build_jwks(const PublishedKey& current, std::span<const PublishedKey> previous) {
  boost::json::array keys;
  boost::json::array certs;
  keys.push_back(current.jwk);
  certs.push_back(cert_entry(current));
  for (const auto& key : previous) {
    keys.push_back(key.jwk);
    certs.push_back(cert_entry(key));
  }
  boost::json::object jwks;
  jwks["keys"] = std::move(keys);
  jwks["public_cert"] = cert_entry(current);
  jwks["public_certs"] = std::move(certs);
  return jwks;
}

}  // namespace gatehouse
