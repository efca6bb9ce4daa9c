#pragma once
// Secrets at rest: AES-256-GCM under the master key (DESIGN.md: "signing keys
// encrypted at rest with a key from the environment or a key file"). Signing keys and
// webhook secrets (service/webhook_secret.hpp) are sealed this way.
//
// Blob format, self-describing text: "v1:" + base64url(nonce[12] || ciphertext || tag[16]).
// The associated data is a purpose label ("gatehouse.signing-key.v1", …), a NUL, and
// the caller's context (for example the kid), so a blob cannot be moved to another row
// or purpose unnoticed.
#include "core/random.hpp"
#include "jwt/errc.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse {

// 32 bytes; wiped when destroyed.
class MasterKey {
 public:
  static constexpr std::size_t kSize = 32;
  explicit MasterKey(const std::array<std::uint8_t, kSize>& bytes) : bytes_(bytes) {}
  MasterKey(const MasterKey&) = default;
  MasterKey& operator=(const MasterKey&) = default;
  ~MasterKey();
  const std::array<std::uint8_t, kSize>& bytes() const { return bytes_; }

 private:
  std::array<std::uint8_t, kSize> bytes_;
};

// A fresh 12-byte nonce from `random` per call: with random nonces one key may seal
// about 2^32 blobs (NIST SP 800-38D §8.3), far beyond what a few keys and webhooks use.
// `purpose` is a fixed label per kind of secret; `context` names its row.
JwtResult<std::string> seal_with_master_key(std::string_view plaintext, const MasterKey& key, Random& random,
                                            std::string_view purpose, std::string_view context);

// jwt_errc::key_blob_malformed for a blob of the wrong shape, jwt_errc::key_decrypt_failed
// for a wrong master key, a wrong purpose or context, or any altered byte.
JwtResult<std::string> open_with_master_key(std::string_view blob, const MasterKey& key, std::string_view purpose,
                                            std::string_view context);

// The signing keys' purpose ("gatehouse.signing-key.v1"); context = the kid.
JwtResult<std::string> encrypt_private_key(std::string_view plaintext, const MasterKey& key, Random& random,
                                           std::string_view context = {});

JwtResult<std::string> decrypt_private_key(std::string_view blob, const MasterKey& key,
                                           std::string_view context = {});

}  // namespace gatehouse
