#include "service/organization.hpp"

#include "service/access_audit.hpp"
#include "service/access_json.hpp"
#include "service/access_validation.hpp"
#include "service/json_views.hpp"

namespace gatehouse {

using namespace access_detail;

namespace {

constexpr int kMinInactivityDays = 30;
constexpr int kMaxInactivityDays = 365;

AuditEvent org_event(Services& s, const Actor& actor, std::string action, const Organization* before,
                     const Organization& after) {
  return audit_event(s, actor, after.account_id, std::move(action), "access.organization", after.account_id,
                     after.name, before ? serialize(to_json(*before)) : std::string(), serialize(to_json(after)));
}

Result<void> apply(Organization& o, const OrganizationInput& in) {
  if (in.name) {
    auto v = validate_name(*in.name);
    if (!v) return v.error();
    o.name = std::move(*v);
  }
  if (in.auth_domain) {
    auto v = validate_dns_name(*in.auth_domain, "auth_domain");
    if (!v) return v.error();
    o.auth_domain = std::move(*v);
  }
  if (in.session_duration) {
    auto v = validate_session_duration(*in.session_duration, "session_duration");
    if (!v) return v.error();
    o.session_duration = std::move(*v);
  }
  if (in.strict_service_token_auth) o.strict_service_token_auth = *in.strict_service_token_auth;
  if (in.service_token_inactivity) {
    const auto& i = *in.service_token_inactivity;
    if (i.enabled) o.service_token_inactivity.enabled = *i.enabled;
    if (i.threshold_days) {
      if (*i.threshold_days < kMinInactivityDays || *i.threshold_days > kMaxInactivityDays)
        return bad_request("invalid_inactivity_threshold",
                           "service_token_inactivity.inactivity_threshold_days must be from 30 to 365, got " +
                               std::to_string(*i.threshold_days));
      o.service_token_inactivity.threshold_days = static_cast<int>(*i.threshold_days);
    }
    if (i.action) {
      if (*i.action != "disable" && *i.action != "delete")
        return bad_request("invalid_inactivity_action",
                           "service_token_inactivity.action must be \"disable\" or \"delete\", got \"" +
                               i.action->substr(0, 64) + "\"");
      o.service_token_inactivity.action = *i.action;
    }
  }
  return {};
}

}  // namespace

std::string default_auth_domain(std::string_view account_id) {
  return std::string(account_id.substr(0, 8)) + ".gatehouse.internal";
}

Organization default_organization(const Account& account, Time now) {
  Organization o;
  o.account_id = account.id;
  o.name = account.name;
  o.auth_domain = default_auth_domain(account.id);
  o.created_at = o.updated_at = now;
  return o;
}

Result<Organization> get_organization(Services& s, std::string_view account_id) {
  auto found = s.store.find_organization(account_id);
  if (!found) return found.error();
  if (*found) return std::move(**found);
  auto account = s.store.find_account(account_id);
  if (!account) return account.error();
  if (!*account)
    return not_found("account_not_found", "no account with id \"" + std::string(account_id.substr(0, 64)) + "\"");
  Organization o = default_organization(**account, s.clock.now());
  const Actor system{"system", "gatehouse", "defaults"};
  auto inserted = s.store.insert_organization(o, org_event(s, system, "organization.create", nullptr, o));
  if (!inserted) return inserted.error();
  if (!*inserted) {  // another writer created it first: theirs wins
    auto again = s.store.find_organization(account_id);
    if (!again) return again.error();
    if (!*again) return internal_error("store_failure", "the organization vanished after it was created");
    return std::move(**again);
  }
  s.notify_changed();
  return o;
}

Result<Organization> update_organization(Services& s, const Actor& actor, std::string_view account_id,
                                         const OrganizationInput& in) {
  for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
    auto before = get_organization(s, account_id);
    if (!before) return before.error();
    Organization after = *before;
    if (auto r = apply(after, in); !r) return r.error();
    if (after == *before) return after;  // nothing to change, nothing to audit
    after.updated_at = next_updated_at(s.clock.now(), before->updated_at);
    auto stored = s.store.update_organization(after, before->updated_at,
                                              org_event(s, actor, "organization.update", &*before, after));
    if (!stored) return stored.error();
    if (*stored) {
      s.notify_changed();
      return after;
    }
  }
  return concurrent_update("organization");
}

}  // namespace gatehouse
