#pragma once
// The service token and the pure rules of its lifecycle (compat.md §1.2).
// Nothing here does I/O; the admin API loads a token, applies one of these, and
// stores the result together with its audit event in one transaction.
#include "core/duration.hpp"
#include "core/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gatehouse {

// When one secret version was last used at the edge (compat.md §3).
struct SecretUse {
  int client_secret_version = 0;
  Time last_seen_at{};
  friend bool operator==(const SecretUse&, const SecretUse&) = default;
};

struct ServiceToken {
  std::string id;          // UUID
  std::string account_id;
  std::string name;
  std::string client_id;   // 32 hex + ".access"
  Duration duration;
  bool enabled = true;
  std::optional<Time> expires_at;  // empty = forever
  Time created_at{};
  Time updated_at{};
  std::optional<Time> last_seen_at;
  int client_secret_version = 1;
  std::string secret_hash;                       // SHA-256 hex of the current secret
  std::optional<std::string> previous_secret_hash;
  std::optional<Time> previous_client_secret_expires_at;
  std::int64_t revision = 0;  // optimistic concurrency: bumped by every stored change
  // Last use per secret version, newest version first. Read-only here: the store fills
  // it from its usage table (written by the edge's last-seen flusher, never by updates).
  std::vector<SecretUse> secret_last_seen;

  friend bool operator==(const ServiceToken&, const ServiceToken&) = default;
};

// When secret `version` was last used, if ever.
inline std::optional<Time> secret_last_seen_at(const ServiceToken& t, int version) {
  for (const auto& u : t.secret_last_seen)
    if (u.client_secret_version == version) return u.last_seen_at;
  return std::nullopt;
}

// Refresh: expires_at = max(now, expires_at) + one year; forever stays forever.
void refresh(ServiceToken& t, Time now);
// New duration: expires_at = now + duration (the dashboard's "extended by").
void change_duration(ServiceToken& t, Duration d, Time now);
// Rotate: the current secret becomes the previous one, accepted until `grace_until`
// (empty or past = revoked at once); the version goes up by one.
void rotate(ServiceToken& t, std::string new_secret_hash, std::optional<Time> grace_until, Time now);

bool is_expired(const ServiceToken& t, Time now);
// True while the previous secret is still accepted.
bool previous_secret_in_grace(const ServiceToken& t, Time now);

}  // namespace gatehouse
