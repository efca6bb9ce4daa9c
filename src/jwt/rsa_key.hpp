#pragma once
// RS256 signing keys: generation, kid, PEM import/export and the public JWK.
#include "jwt/errc.hpp"
#include "jwt/ossl.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace gatehouse {

inline constexpr int kRsaKeyBits = 2048;

// A private RSA key with its kid. Move-only; the key never leaves except through
// private_key_pem() (which the caller encrypts before storing it).
class SigningKey {
 public:
  SigningKey(PkeyPtr key, std::string kid) : key_(std::move(key)), kid_(std::move(kid)) {}
  EVP_PKEY* pkey() const { return key_.get(); }
  const std::string& kid() const { return kid_; }

 private:
  PkeyPtr key_;
  std::string kid_;
};

// A fresh RSA-2048 key (e = 65537) from OpenSSL's CSPRNG.
JwtResult<SigningKey> generate_rsa_key();

// 64 lowercase hex digits: SHA-256 of the DER SubjectPublicKeyInfo. Stable for a key,
// whichever form (PEM, DER, private or public) it was loaded from.
JwtResult<std::string> key_id(const EVP_PKEY* key);

// PKCS#8 "BEGIN PRIVATE KEY" (unencrypted: encrypt with encrypt_private_key) and
// SubjectPublicKeyInfo "BEGIN PUBLIC KEY".
JwtResult<std::string> private_key_pem(const EVP_PKEY* key);
JwtResult<std::string> public_key_pem(const EVP_PKEY* key);

// Accept only RSA keys (not RSA-PSS) of at least 2048 bits; anything else, an
// encrypted PEM or trailing garbage is jwt_errc::key_invalid. Never prompts.
JwtResult<SigningKey> signing_key_from_pem(std::string_view pem);
JwtResult<PkeyPtr> public_key_from_pem(std::string_view pem);
JwtResult<PkeyPtr> public_key_from_der(std::string_view der);

// True for an RSA (not RSA-PSS) key of at least 2048 bits: the only keys RS256 uses.
bool is_rs256_key(const EVP_PKEY* key);

// {"kty":"RSA","kid":…,"alg":"RS256","use":"sig","n":…,"e":…} (RFC 7517 §4, RFC 7518 §6.3.1):
// n and e are unsigned big-endian base64url without leading zero bytes.
JwtResult<boost::json::object> public_jwk(const EVP_PKEY* key);

}  // namespace gatehouse
