#include "edge/token_secret.hpp"

#include "core/ids.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace gatehouse::edge {

namespace {

Digest32 sha256(std::string_view data) {
  Digest32 out;
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return out;
}

// Compares against `stored`, or against zeros when there is none, so that the work
// does not depend on which hashes a token has. A missing hash never matches.
bool same_hash(const Digest32& presented, const Digest32* stored) {
  static const Digest32 kZero{};
  const Digest32& against = stored ? *stored : kZero;
  const bool equal = CRYPTO_memcmp(presented.data(), against.data(), presented.size()) == 0;
  return equal && stored != nullptr;
}

}  // namespace

SecretCheck check_token_secret(const TokenView& token, std::string_view presented, Time now) {
  if (!is_well_formed_client_secret(presented)) return {false, 0, "bad_secret"};
  const Digest32 hash = sha256(presented);
  // Both stored hashes are always compared, so the timing does not tell whether the
  // current or the previous secret matched.
  const bool current = same_hash(hash, token.secret_hash());
  const bool previous = same_hash(hash, token.previous_secret_hash());
  return secret_decision(current, previous && token.previous_secret_in_grace(now), token.enabled(),
                         token.expired(now), token.client_secret_version());
}

SecretCheck check_unknown_token_secret(std::string_view presented) {
  if (!is_well_formed_client_secret(presented)) return {false, 0, "bad_secret"};
  const Digest32 hash = sha256(presented);
  static const Digest32 kDecoy{};
  (void)same_hash(hash, &kDecoy);
  (void)same_hash(hash, &kDecoy);
  return {false, 0, "bad_secret"};
}

}  // namespace gatehouse::edge
