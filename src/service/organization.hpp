#pragma once
// The Access organization of an account (compat.md §1.4): one per account, created
// with defaults on first start (bootstrap), on first access, or by migration 2 for
// accounts that existed before it.
//
// Defaults: name = the account's name; auth_domain = "<first 8 hex of the account
// id>.gatehouse.internal" (".internal" is reserved for private use, so the default
// can never be someone else's real domain; set the team domain your origins see as
// JWT `iss` with `gatehouse org edit --auth-domain`); session_duration 24h;
// strict_service_token_auth false; service_token_inactivity disabled, 90 days,
// "disable"; key rotation every 42 days.
#include "core/app.hpp"
#include "service/services.hpp"

#include <optional>
#include <string>

namespace gatehouse {

std::string default_auth_domain(std::string_view account_id);
Organization default_organization(const Account& account, Time now);

struct InactivityInput {
  std::optional<bool> enabled;
  std::optional<std::int64_t> threshold_days;  // 30..365
  std::optional<std::string> action;           // "disable" | "delete"
};

// What is set replaces the stored value (PUT and PATCH alike).
struct OrganizationInput {
  std::optional<std::string> name;
  std::optional<std::string> auth_domain;
  std::optional<Duration> session_duration;
  std::optional<bool> strict_service_token_auth;
  std::optional<InactivityInput> service_token_inactivity;
};

// Creates the default organization (audited as the system) when the account has none.
Result<Organization> get_organization(Services& s, std::string_view account_id);
Result<Organization> update_organization(Services& s, const Actor& actor, std::string_view account_id,
                                         const OrganizationInput& in);

}  // namespace gatehouse
