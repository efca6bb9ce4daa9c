#include "jwt/rs256.hpp"

#include "jwt/ossl.hpp"
#include "jwt/rsa_key.hpp"

#include <openssl/err.h>
#include <openssl/rsa.h>

namespace gatehouse {
namespace {

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

JwtResult<std::string> sign_rs256_signature(EVP_PKEY* key, std::string_view message) {
  if (!is_rs256_key(key)) return jwt_errc::key_invalid;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), &pctx, "SHA256", nullptr, nullptr, key, nullptr) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    ERR_clear_error();
    return jwt_errc::internal;
  }
  std::size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, bytes(message), message.size()) != 1) {
    ERR_clear_error();
    return jwt_errc::internal;
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, bytes(message),
                     message.size()) != 1) {
    ERR_clear_error();
    return jwt_errc::internal;
  }
  sig.resize(len);
  return sig;
}

bool verify_rs256_signature(EVP_PKEY* key, std::string_view message, std::string_view signature) noexcept {
  if (!is_rs256_key(key)) return false;
  if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key))) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  const bool ok = ctx &&
                  EVP_DigestVerifyInit_ex(ctx.get(), &pctx, "SHA256", nullptr, nullptr, key, nullptr) == 1 &&
                  EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
                  EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(message),
                                   message.size()) == 1;
  // A failed verification leaves reasons on the thread's error queue; do not let them
  // leak into an unrelated later OpenSSL call on this thread.
  ERR_clear_error();
  return ok;
}

}  // namespace gatehouse
