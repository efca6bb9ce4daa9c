#include "jwt/rsa_key.hpp"

#include "crypto/crypto.hpp"
#include "jwt/base64url.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <climits>
#include <vector>

namespace gatehouse {
namespace {

// Never prompt for a passphrase: an encrypted PEM simply fails to load.
int no_passphrase(char*, int, int, void*) { return -1; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// A PEM blob must be exactly one block (surrounding whitespace allowed): OpenSSL's
// readers skip text before the block and ignore what follows it.
bool trimmed_starts_with_begin(std::string_view pem) {
  const auto first = std::find_if_not(pem.begin(), pem.end(), is_space);
  return std::string_view(first, pem.end()).starts_with("-----BEGIN ");
}

bool rest_is_whitespace(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::all_of(data, data + std::max(n, 0L), is_space);
}

JwtResult<BioPtr> read_bio(std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return jwt_errc::key_invalid;
  BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) return jwt_errc::internal;
  return bio;
}

JwtResult<std::string> bio_contents(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  if (n < 0) return jwt_errc::internal;
  return std::string(data, static_cast<std::size_t>(n));
}

JwtResult<std::string> bignum_base64url(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return jwt_errc::internal;
  BignumPtr bn(raw);
  // BN_bn2bin writes the minimal big-endian form, as RFC 7518 §6.3.1 requires.
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), bytes.data());
  return base64url_encode(std::span<const std::uint8_t>(bytes));
}

}  // namespace

bool is_rs256_key(const EVP_PKEY* key) {
  return key != nullptr && EVP_PKEY_is_a(key, "RSA") == 1 && EVP_PKEY_get_bits(key) >= kRsaKeyBits;
}

JwtResult<SigningKey> generate_rsa_key() {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), kRsaKeyBits) != 1) {
    return jwt_errc::internal;
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_keygen(ctx.get(), &raw) != 1) return jwt_errc::internal;
  PkeyPtr key(raw);
  auto kid = key_id(key.get());
  if (!kid) return kid.error();
  return SigningKey(std::move(key), std::move(*kid));
}

JwtResult<std::string> key_id(const EVP_PKEY* key) {
  if (key == nullptr) return jwt_errc::key_invalid;
  const int len = i2d_PUBKEY(key, nullptr);
  if (len <= 0) return jwt_errc::internal;
  std::string der(static_cast<std::size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_PUBKEY(key, &p) != len) return jwt_errc::internal;
  return sha256_hex(der);
}

JwtResult<std::string> private_key_pem(const EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || key == nullptr) return jwt_errc::internal;
  if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return jwt_errc::internal;
  }
  return bio_contents(bio.get());
}

JwtResult<std::string> public_key_pem(const EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || key == nullptr) return jwt_errc::internal;
  if (PEM_write_bio_PUBKEY(bio.get(), key) != 1) return jwt_errc::internal;
  return bio_contents(bio.get());
}

JwtResult<SigningKey> signing_key_from_pem(std::string_view pem) {
  if (!trimmed_starts_with_begin(pem)) return jwt_errc::key_invalid;
  auto bio = read_bio(pem);
  if (!bio) return bio.error();
  PkeyPtr key(PEM_read_bio_PrivateKey(bio->get(), nullptr, no_passphrase, nullptr));
  ERR_clear_error();  // a failed parse leaves reasons on this thread's queue
  if (!key || !rest_is_whitespace(bio->get()) || !is_rs256_key(key.get())) return jwt_errc::key_invalid;
  auto kid = key_id(key.get());
  if (!kid) return kid.error();
  return SigningKey(std::move(key), std::move(*kid));
}

JwtResult<PkeyPtr> public_key_from_pem(std::string_view pem) {
  if (!trimmed_starts_with_begin(pem)) return jwt_errc::key_invalid;
  auto bio = read_bio(pem);
  if (!bio) return bio.error();
  PkeyPtr key(PEM_read_bio_PUBKEY(bio->get(), nullptr, no_passphrase, nullptr));
  ERR_clear_error();
  if (!key || !rest_is_whitespace(bio->get()) || !is_rs256_key(key.get())) return jwt_errc::key_invalid;
  return key;
}

JwtResult<PkeyPtr> public_key_from_der(std::string_view der) {
  if (der.empty() || der.size() > static_cast<std::size_t>(LONG_MAX)) return jwt_errc::key_invalid;
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  PkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  const bool consumed_all = p == reinterpret_cast<const unsigned char*>(der.data() + der.size());
  if (!key || !consumed_all || !is_rs256_key(key.get())) return jwt_errc::key_invalid;
  return key;
}

JwtResult<boost::json::object> public_jwk(const EVP_PKEY* key) {
  if (!is_rs256_key(key)) return jwt_errc::key_invalid;
  auto kid = key_id(key);
  if (!kid) return kid.error();
  auto n = bignum_base64url(key, OSSL_PKEY_PARAM_RSA_N);
  if (!n) return n.error();
  auto e = bignum_base64url(key, OSSL_PKEY_PARAM_RSA_E);
  if (!e) return e.error();
  boost::json::object jwk;
  jwk["kty"] = "RSA";
  jwk["kid"] = *kid;
  jwk["alg"] = "RS256";
  jwk["use"] = "sig";
  jwk["n"] = *n;
  jwk["e"] = *e;
  return jwk;
}

}  // namespace gatehouse
