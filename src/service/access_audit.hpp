#pragma once
// Audit events and optimistic updates for the Access services (apps, policies,
// organization). Internal to src/service.
#include "core/ids.hpp"
#include "service/services.hpp"

#include <algorithm>
#include <string>

namespace gatehouse::access_detail {

inline AuditEvent audit_event(Services& s, const Actor& actor, std::string_view account_id, std::string action,
                              std::string resource_type, std::string resource_id, std::string resource_name,
                              std::string before, std::string after) {
  AuditEvent e;
  e.id = new_uuid(s.random);
  e.account_id = std::string(account_id);
  e.when = s.clock.now();
  e.actor = actor;
  e.action = std::move(action);
  e.resource_type = std::move(resource_type);
  e.resource_id = std::move(resource_id);
  e.resource_name = std::move(resource_name);
  e.before_json = std::move(before);
  e.after_json = std::move(after);
  e.interface = actor.type == "api_token" ? "api" : actor.type;
  return e;
}

// The new updated_at of a change: now, but strictly after the stored one, because
// updated_at is the store's optimistic-concurrency token (store.hpp).
inline Time next_updated_at(Time now, Time before) { return std::max(now, before + std::chrono::microseconds(1)); }

// How often a change is re-applied when another writer got there first.
inline constexpr int kUpdateAttempts = 5;

inline Error concurrent_update(std::string_view what) {
  return conflict("concurrent_update", "the " + std::string(what) + " was changed concurrently; retry");
}

}  // namespace gatehouse::access_detail
