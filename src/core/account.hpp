#pragma once
// Accounts (tenants), the API tokens that administer them, and audit events.
#include "core/time.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse {

struct Account {
  std::string id;  // 32 lowercase hex, like Cloudflare account ids
  std::string name;
  Time created_at{};
};

enum class Scope { read, edit };
inline std::string_view to_string(Scope s) { return s == Scope::edit ? "edit" : "read"; }
inline std::optional<Scope> parse_scope(std::string_view s) {
  if (s == "read") return Scope::read;
  if (s == "edit") return Scope::edit;
  return std::nullopt;
}

struct ApiToken {
  std::string id;  // UUID
  std::string account_id;
  std::string name;
  Scope scope = Scope::read;
  std::string token_hash;  // SHA-256 hex; the token itself is never stored
  Time created_at{};
  std::optional<Time> expires_at;
  std::optional<Time> revoked_at;

  bool usable_at(Time now) const { return !revoked_at && (!expires_at || now < *expires_at); }
};

// Who made a change: an API token (by id and name), the CLI on the data dir, or the
// server itself (first start).
struct Actor {
  std::string type;  // "api_token" | "cli" | "system"
  std::string id;
  std::string name;
};

struct AuditEvent {
  std::string id;  // UUID
  std::string account_id;
  Time when{};
  Actor actor;
  std::string action;         // e.g. "service_token.create"
  std::string resource_type;  // e.g. "access.service_token"
  std::string resource_id;
  std::string resource_name;
  std::string before_json;  // "" when none; never holds a secret
  std::string after_json;
  std::string interface;  // "api" | "cli" | "system"
};

}  // namespace gatehouse
