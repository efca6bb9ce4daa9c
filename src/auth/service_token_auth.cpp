#include "auth/service_token_auth.hpp"

#include "core/ids.hpp"
#include "crypto/crypto.hpp"

namespace gatehouse {

SecretCheck check_client_secret(const ServiceToken& token, std::string_view presented, Time now) {
  if (!is_well_formed_client_secret(presented)) return {false, 0, "bad_secret"};
  const std::string hash = sha256_hex(presented);
  const bool current = constant_time_equal(hash, token.secret_hash);
  const bool previous = token.previous_secret_hash && constant_time_equal(hash, *token.previous_secret_hash);
  return secret_decision(current, previous && previous_secret_in_grace(token, now), token.enabled,
                         is_expired(token, now), token.client_secret_version);
}

SecretCheck secret_decision(bool current, bool previous_in_grace, bool enabled, bool expired, int version) {
  if (!current && !previous_in_grace) return {false, 0, "bad_secret"};
  if (!enabled) return {false, 0, "service_token_disabled"};
  if (expired) return {false, 0, "service_token_expired"};
  return {true, current ? version : version - 1, {}};
}

}  // namespace gatehouse
