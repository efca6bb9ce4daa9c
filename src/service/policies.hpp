#pragma once
// Access policies (compat.md §1.3): reusable (account-level, linked by apps) and
// app-scoped (owned by one app, deleted with it). Validation, one transaction per
// change with its audit event, and notify_changed() after each change.
#include "core/policy.hpp"
#include "service/services.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gatehouse {

// A create (name, decision and a non-empty include required) or a change (what is
// set replaces the stored value). Rules arrive typed: the JSON layer has already
// refused unknown and unsupported rule types.
struct PolicyInput {
  std::optional<std::string> name;
  std::optional<PolicyDecision> decision;
  std::optional<std::vector<Rule>> include;
  std::optional<std::vector<Rule>> exclude;
  std::optional<std::vector<Rule>> require;
  std::optional<int> precedence;
  // Outer empty: unchanged; inner empty: no override (the app's session applies).
  std::optional<std::optional<Duration>> session_duration;
};

// A policy and the apps that link it (a reusable policy's "app_count").
struct PolicyWithApps {
  Policy policy;
  std::vector<AppRef> apps;
};

// Validates `in` (merged over `base` when changing) into a policy of `account_id`
// scoped to `app_id` ("" = reusable). `field` prefixes error messages, e.g.
// "policies[2]." for an inline policy of an app. Does not store anything; checks
// that service_token rules name tokens of the account.
Result<Policy> build_policy(Services& s, std::string_view account_id, std::string_view app_id,
                            const PolicyInput& in, const Policy* base, std::string_view field = "");

// `app_id` "" addresses the reusable policies; otherwise the policies of that app.
// Listing an app's policies returns every policy it links, reusable ones included,
// in precedence order (each with the link's precedence).
Result<PolicyWithApps> create_policy(Services& s, const Actor& actor, std::string_view account_id,
                                     std::string_view app_id, const PolicyInput& in);
Result<PolicyWithApps> get_policy(Services& s, std::string_view account_id, std::string_view app_id,
                                  std::string_view id);
Result<PageOf<PolicyWithApps>> list_policies(Services& s, std::string_view account_id, std::string_view app_id,
                                             PageRequest page);
Result<PolicyWithApps> update_policy(Services& s, const Actor& actor, std::string_view account_id,
                                     std::string_view app_id, std::string_view id, const PolicyInput& in);
// A reusable policy still linked by an app is refused with 409 naming the apps.
Result<PolicyWithApps> delete_policy(Services& s, const Actor& actor, std::string_view account_id,
                                     std::string_view app_id, std::string_view id);

}  // namespace gatehouse
