#include "policy/evaluate.hpp"

#include <algorithm>

namespace gatehouse {

namespace {

bool iequals_ascii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

bool policy_matches(const Policy& p, const Identity& who, const std::optional<IpAddress>& from) {
  auto match = [&](const Rule& r) { return rule_matches(r, who, from); };
  return std::any_of(p.include.begin(), p.include.end(), match) &&
         std::none_of(p.exclude.begin(), p.exclude.end(), match) &&
         std::all_of(p.require.begin(), p.require.end(), match);
}

}  // namespace

bool rule_matches(const Rule& rule, const Identity& who, const std::optional<IpAddress>& from) {
  switch (rule.kind) {
    case Rule::Kind::service_token: return who.is_service_token() && who.service_token_id == rule.value;
    case Rule::Kind::any_valid_service_token: return who.is_service_token();
    case Rule::Kind::everyone: return true;
    case Rule::Kind::ip: {
      if (!from) return false;
      const auto range = parse_cidr(rule.value);
      return range && contains(*range, *from);
    }
    case Rule::Kind::email: return who.is_user() && iequals_ascii(who.email, rule.value);
    case Rule::Kind::email_domain: {
      if (!who.is_user()) return false;
      const auto at = who.email.rfind('@');
      return at != std::string_view::npos && iequals_ascii(who.email.substr(at + 1), rule.value);
    }
    case Rule::Kind::common_name: return !who.common_name.empty() && who.common_name == rule.value;
  }
  return false;
}

PolicyOutcome evaluate(std::span<const Policy* const> ordered, const Identity& who,
                       const std::optional<IpAddress>& from) {
  using Effect = PolicyOutcome::Effect;
  // 1. Bypass and Service Auth.
  for (const Policy* p : ordered) {
    if (p->decision != PolicyDecision::bypass && p->decision != PolicyDecision::non_identity) continue;
    if (!policy_matches(*p, who, from)) continue;
    if (p->decision == PolicyDecision::bypass) return {Effect::bypass, "bypass", p};
    return {Effect::allow, "service_auth", p};
  }
  // 2. Allow and Block, first match wins. Allow needs a user; Block applies to anyone.
  bool has_allow = false;
  for (const Policy* p : ordered) {
    if (p->decision == PolicyDecision::allow) {
      has_allow = true;
      if (who.is_user() && policy_matches(*p, who, from)) return {Effect::allow, "allow", p};
    } else if (p->decision == PolicyDecision::deny) {
      if (policy_matches(*p, who, from)) return {Effect::deny, "policy_blocked", p};
    }
  }
  // 3. Default deny. Without a user, an app with Allow policies sends people to log in.
  if (has_allow && !who.is_user()) return {Effect::login_required, "login_required", nullptr};
  return {Effect::deny, "policy_denied", nullptr};
}

}  // namespace gatehouse
