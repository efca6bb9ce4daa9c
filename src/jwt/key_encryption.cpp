#include "jwt/key_encryption.hpp"

#include "jwt/base64url.hpp"
#include "jwt/ossl.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>

#include <climits>

namespace gatehouse {
namespace {

constexpr std::string_view kPrefix = "v1:";
constexpr std::string_view kSigningKeyPurpose = "gatehouse.signing-key.v1";
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;
constexpr std::size_t kMaxPlaintext = 1 << 20;  // a PEM key is a few KiB

auto* u8(char* p) { return reinterpret_cast<unsigned char*>(p); }
auto* u8(const char* p) { return reinterpret_cast<const unsigned char*>(p); }

std::string associated_data(std::string_view purpose, std::string_view context) {
  std::string aad(purpose);
  aad.push_back('\0');
  aad.append(context);
  return aad;
}

}  // namespace

MasterKey::~MasterKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

JwtResult<std::string> encrypt_private_key(std::string_view plaintext, const MasterKey& key, Random& random,
                                           std::string_view context) {
  return seal_with_master_key(plaintext, key, random, kSigningKeyPurpose, context);
}

JwtResult<std::string> decrypt_private_key(std::string_view blob, const MasterKey& key, std::string_view context) {
  return open_with_master_key(blob, key, kSigningKeyPurpose, context);
}

JwtResult<std::string> seal_with_master_key(std::string_view plaintext, const MasterKey& key, Random& random,
                                            std::string_view purpose, std::string_view context) {
  if (plaintext.size() > kMaxPlaintext) return jwt_errc::bad_argument;
  const std::string aad = associated_data(purpose, context);
  std::string raw(kNonceSize + plaintext.size() + kTagSize, '\0');
  random.fill(std::span(reinterpret_cast<std::uint8_t*>(raw.data()), kNonceSize));

  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int final_len = 0;
  const bool ok =
      ctx && EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.bytes().data(), u8(raw.data()), nullptr) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, u8(aad.data()), static_cast<int>(aad.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), u8(raw.data() + kNonceSize), &len, u8(plaintext.data()),
                        static_cast<int>(plaintext.size())) == 1 &&
      static_cast<std::size_t>(len) == plaintext.size() &&
      EVP_EncryptFinal_ex(ctx.get(), u8(raw.data() + kNonceSize + plaintext.size()), &final_len) == 1 &&
      final_len == 0 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                          raw.data() + kNonceSize + plaintext.size()) == 1;
  if (!ok) {
    ERR_clear_error();
    return jwt_errc::internal;
  }
  return std::string(kPrefix) + base64url_encode(raw);
}

JwtResult<std::string> open_with_master_key(std::string_view blob, const MasterKey& key, std::string_view purpose,
                                            std::string_view context) {
  if (!blob.starts_with(kPrefix)) return jwt_errc::key_blob_malformed;
  auto raw = base64url_decode(blob.substr(kPrefix.size()));
  if (!raw || raw->size() < kNonceSize + kTagSize || raw->size() > kNonceSize + kMaxPlaintext + kTagSize) {
    return jwt_errc::key_blob_malformed;
  }
  const std::string aad = associated_data(purpose, context);
  const std::size_t text_size = raw->size() - kNonceSize - kTagSize;
  std::string plaintext(text_size, '\0');
  std::string tag = raw->substr(kNonceSize + text_size);  // SET_TAG wants a mutable pointer

  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int final_len = 0;
  const bool ok =
      ctx && EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.bytes().data(), u8(raw->data()), nullptr) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, u8(aad.data()), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), u8(plaintext.data()), &len, u8(raw->data() + kNonceSize),
                        static_cast<int>(text_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), u8(plaintext.data() + len), &final_len) == 1;
  ERR_clear_error();
  if (!ok) {
    // Nothing of an unauthenticated decryption may escape.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return jwt_errc::key_decrypt_failed;
  }
  return plaintext;
}

}  // namespace gatehouse
