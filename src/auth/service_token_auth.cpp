#include "auth/service_token_auth.hpp"

#include "core/ids.hpp"
#include "crypto/crypto.hpp"

namespace gatehouse {

SecretCheck check_client_secret(const ServiceToken& token, std::string_view presented, Time now) {
  if (!is_well_formed_client_secret(presented)) return {false, 0, "bad_secret"};
  const std::string hash = sha256_hex(presented);
  const bool current = constant_time_equal(hash, token.secret_hash);
  const bool previous = token.previous_secret_hash && constant_time_equal(hash, *token.previous_secret_hash);
  const bool previous_ok = previous && previous_secret_in_grace(token, now);
  if (!current && !previous_ok) return {false, 0, "bad_secret"};
  // The secret is right: now the token's state decides. Checked after the secret so
  // that a caller without the secret learns nothing about the token.
  if (!token.enabled) return {false, 0, "service_token_disabled"};
  if (is_expired(token, now)) return {false, 0, "service_token_expired"};
  return {true, current ? token.client_secret_version : token.client_secret_version - 1, {}};
}

}  // namespace gatehouse
