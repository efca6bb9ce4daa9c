#pragma once
// Application JWTs for service tokens (compat.md §2.3): issued with the account's
// current key, cached per (token, app) until half their life is gone (RSA signing is
// the expensive step), and verified with a per-thread cache keyed by the token text.
// A cache hit never skips the revocation checks: the caller re-checks the service
// token in the current snapshot on every request.
#include "core/random.hpp"
#include "edge/snapshot.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::edge {

struct IssuedJwt {
  std::string token;
  Time issued_at{};
  Time expires_at{};
};

// The app's revoke_tokens generation: microseconds of tokens_revoked_before, 0 if
// never revoked. A JWT carries the generation it was issued in; any other is refused.
std::int64_t revocation_epoch(const App& app);

// Returns a cached JWT or signs a new one. nullopt when the account has no signing key.
std::optional<IssuedJwt> issue_app_jwt(const AppView& app, std::string_view token_id, std::string_view client_id,
                                       std::chrono::seconds session, Time now);

struct VerifiedJwt {
  std::string service_token_id;  // empty: not a service-token JWT
  std::string common_name;
  std::int64_t revocation_epoch = 0;  // gh_revocation_epoch claim, 0 if absent
  Time issued_at{};
  Time expires_at{};
};

// Verifies RS256, kid among the account's published keys, aud = this app, iss = the
// account's issuer, exp/nbf with a 60 s leeway. The error is a jwt reason slug.
struct JwtCheck {
  std::optional<VerifiedJwt> jwt;
  std::string_view reason;
};
JwtCheck verify_app_jwt(const AppView& app, std::string_view token, Time now);

}  // namespace gatehouse::edge
