#include "core/policy.hpp"

namespace gatehouse {

std::string_view to_string(PolicyDecision d) {
  switch (d) {
    case PolicyDecision::allow: return "allow";
    case PolicyDecision::deny: return "deny";
    case PolicyDecision::non_identity: return "non_identity";
    case PolicyDecision::bypass: return "bypass";
  }
  return "deny";
}

std::optional<PolicyDecision> parse_policy_decision(std::string_view s) {
  if (s == "allow") return PolicyDecision::allow;
  if (s == "deny") return PolicyDecision::deny;
  if (s == "non_identity") return PolicyDecision::non_identity;
  if (s == "bypass") return PolicyDecision::bypass;
  return std::nullopt;
}

std::string_view to_string(Rule::Kind k) {
  switch (k) {
    case Rule::Kind::service_token: return "service_token";
    case Rule::Kind::any_valid_service_token: return "any_valid_service_token";
    case Rule::Kind::everyone: return "everyone";
    case Rule::Kind::ip: return "ip";
    case Rule::Kind::email: return "email";
    case Rule::Kind::email_domain: return "email_domain";
    case Rule::Kind::common_name: return "common_name";
  }
  return "everyone";
}

}  // namespace gatehouse
