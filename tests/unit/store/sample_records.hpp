#pragma once
// Records for store tests: a service token and an audit event with every required
// field set, deterministic from a number (shared by the conformance suite and the
// group-commit tests).
#include "core/account.hpp"
#include "core/service_token.hpp"

#include <chrono>
#include <cstdio>
#include <string>

namespace gatehouse::testing {

inline std::string uuid_like(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

// Token n of `account_id`: id and client id derived from n, created at t0 + n s,
// expiring 72 h after t0.
inline ServiceToken sample_token(const std::string& account_id, int n, Time t0, std::string name = {}) {
  using namespace std::chrono;
  ServiceToken t;
  t.id = uuid_like(n);
  t.account_id = account_id;
  t.name = name.empty() ? "token-" + std::to_string(n) : std::move(name);
  char cid[64];
  std::snprintf(cid, sizeof cid, "%032d.access", n);
  t.client_id = cid;
  t.duration = *parse_duration("72h");
  t.expires_at = t0 + hours(72);
  t.created_at = t.updated_at = t0 + seconds(n);
  t.secret_hash = std::string(64, 'a');
  t.revision = 1;
  return t;
}

inline AuditEvent sample_event(std::string id, std::string account_id, std::string action, Time when) {
  AuditEvent e;
  e.resource_id = id;
  e.id = std::move(id);
  e.account_id = std::move(account_id);
  e.when = when;
  e.actor = {"api_token", "actor-id", "actor"};
  e.action = std::move(action);
  e.resource_type = "access.service_token";
  e.resource_name = "n";
  e.after_json = "{}";
  e.interface = "api";
  return e;
}

}  // namespace gatehouse::testing
