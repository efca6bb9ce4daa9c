#include "audit/token_inactivity.hpp"

#include <map>

namespace gatehouse::audit {

namespace {

std::string reason_for(const ServiceToken& t, const InactivitySetting& rule) {
  const std::string days = std::to_string(rule.threshold_days);
  if (t.last_seen_at)
    return "service_token_inactivity: last used " + format_rfc3339(*t.last_seen_at) + ", more than " + days +
           " days ago";
  return "service_token_inactivity: never used since its creation " + format_rfc3339(t.created_at) +
         ", more than " + days + " days ago";
}

}  // namespace

Result<std::vector<InactivityOutcome>> apply_token_inactivity(Services& s) {
  auto orgs = s.store.list_organizations();
  if (!orgs) return orgs.error();
  std::map<std::string, InactivitySetting, std::less<>> rules;
  for (const auto& o : *orgs)
    if (o.service_token_inactivity.enabled) rules.emplace(o.account_id, o.service_token_inactivity);
  std::vector<InactivityOutcome> out;
  if (rules.empty()) return out;

  auto tokens = s.store.list_all_service_tokens();
  if (!tokens) return tokens.error();
  const Time now = s.clock.now();
  for (const auto& t : *tokens) {
    const auto rule = rules.find(t.account_id);
    if (rule == rules.end()) continue;
    const Time last_use = t.last_seen_at.value_or(t.created_at);
    if (now - last_use <= std::chrono::days(rule->second.threshold_days)) continue;
    const bool remove = rule->second.action == "delete";
    if (!remove && !t.enabled) continue;  // already off
    InactivityOutcome o{t.account_id, t.id, t.name, remove ? "delete" : "disable", reason_for(t, rule->second), {}};
    const Actor system{"system", "service_token_inactivity", o.reason};
    if (remove) {
      if (auto r = delete_service_token(s, system, t.account_id, t.id); !r) o.error = r.error();
    } else {
      ServiceTokenChanges change;
      change.enabled = false;
      if (auto r = update_service_token(s, system, t.account_id, t.id, change); !r) o.error = r.error();
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace gatehouse::audit
