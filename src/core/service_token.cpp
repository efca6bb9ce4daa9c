#include "core/service_token.hpp"

#include <algorithm>

namespace gatehouse {

void refresh(ServiceToken& t, Time now) {
  if (t.expires_at) t.expires_at = std::max(now, *t.expires_at) + kRefreshExtension;
  t.updated_at = now;
}

void change_duration(ServiceToken& t, Duration d, Time now) {
  t.expires_at = expiry_after(now, d);
  t.duration = std::move(d);
  t.updated_at = now;
}

void rotate(ServiceToken& t, std::string new_secret_hash, std::optional<Time> grace_until, Time now) {
  t.previous_secret_hash = std::move(t.secret_hash);
  t.secret_hash = std::move(new_secret_hash);
  // A grace instant in the past means "revoke now": record now, not the past value,
  // so the reply says truthfully when the old secret stopped working.
  t.previous_client_secret_expires_at = grace_until && *grace_until > now ? *grace_until : now;
  t.client_secret_version += 1;
  t.updated_at = now;
}

bool is_expired(const ServiceToken& t, Time now) { return t.expires_at && *t.expires_at <= now; }

bool previous_secret_in_grace(const ServiceToken& t, Time now) {
  return t.previous_secret_hash && t.previous_client_secret_expires_at &&
         now < *t.previous_client_secret_expires_at;
}

}  // namespace gatehouse
