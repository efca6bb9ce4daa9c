#pragma once
// Access policies and their rules (compat.md §1.3). Pure values; evaluation lives in
// src/policy/.
#include "core/duration.hpp"
#include "core/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse {

// "non_identity" is the API name of Service Auth.
enum class PolicyDecision { allow, deny, non_identity, bypass };
std::string_view to_string(PolicyDecision d);
std::optional<PolicyDecision> parse_policy_decision(std::string_view s);

struct Rule {
  enum class Kind { service_token, any_valid_service_token, everyone, ip, email, email_domain, common_name };
  Kind kind = Kind::everyone;
  // service_token: token id; ip: CIDR as written ("10.0.0.0/8", "2001:db8::/32", or a
  // single address); email / email_domain / common_name: the value to match.
  std::string value;
  friend bool operator==(const Rule&, const Rule&) = default;
};
std::string_view to_string(Rule::Kind k);  // the JSON key, e.g. "any_valid_service_token"

struct Policy {
  std::string id;  // UUID
  std::string account_id;
  std::string app_id;  // empty for a reusable (account-level) policy
  std::string name;
  PolicyDecision decision = PolicyDecision::allow;
  std::vector<Rule> include;  // OR; at least one
  std::vector<Rule> exclude;  // NOT (any match excludes)
  std::vector<Rule> require;  // AND (every one must match)
  int precedence = 1;
  std::optional<Duration> session_duration;  // overrides the app's for JWTs it admits
  Time created_at{};
  Time updated_at{};
  friend bool operator==(const Policy&, const Policy&) = default;
};

}  // namespace gatehouse
