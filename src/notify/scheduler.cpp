#include "notify/scheduler.hpp"

#include "core/ids.hpp"
#include "service/alert_payload.hpp"
#include "service/alerts.hpp"
#include "service/json_views.hpp"

#include <algorithm>
#include <map>

namespace gatehouse::notify {

namespace {

bool covers(const AlertPolicy& p, const ServiceToken& t) {
  if (!p.token_ids) return true;
  return std::find(p.token_ids->begin(), p.token_ids->end(), t.id) != p.token_ids->end();
}

bool in_window(const ServiceToken& t, Time now) {
  return t.enabled && t.expires_at && *t.expires_at > now && *t.expires_at <= now + kAlertWindow;
}

std::vector<OutboxMessage> messages_for(const AlertPolicy& p, const ServiceToken& t, Time now,
                                        const std::string& correlation, Random& random) {
  const std::string payload = serialize(expiring_token_payload(p, t, now, correlation));
  std::vector<OutboxMessage> out;
  auto add = [&](OutboxKind kind, const std::string& address) {
    OutboxMessage m;
    m.id = new_uuid(random);
    m.account_id = p.account_id;
    m.policy_id = p.id;
    m.policy_name = p.name;
    m.alert_type = p.alert_type;
    m.token_id = t.id;
    m.correlation_id = correlation;
    m.kind = kind;
    m.address = address;
    m.payload = payload;
    m.created_at = m.next_attempt_at = now;
    out.push_back(std::move(m));
  };
  for (const auto& e : p.emails) add(OutboxKind::email, e);
  for (const auto& w : p.webhook_ids) add(OutboxKind::webhook, w);
  return out;
}

}  // namespace

Result<ScanResult> scan_expiring_tokens(Store& store, AlertStore& alerts, Clock& clock, Random& random) {
  const Time now = clock.now();
  auto policies = alerts.list_enabled_alert_policies();
  if (!policies) return policies.error();
  ScanResult result;
  if (policies->empty()) return result;
  auto tokens = store.list_all_service_tokens();
  if (!tokens) return tokens.error();
  std::map<std::string, std::vector<const ServiceToken*>, std::less<>> due_by_account;
  for (const auto& t : *tokens)
    if (in_window(t, now)) due_by_account[t.account_id].push_back(&t);

  for (const auto& p : *policies) {
    if (p.alert_type != kExpiringServiceTokenAlert) continue;
    if (p.emails.empty() && p.webhook_ids.empty()) continue;  // nobody to tell: stays armed
    auto due = due_by_account.find(p.account_id);
    if (due == due_by_account.end()) continue;
    for (const ServiceToken* t : due->second) {
      if (!covers(p, *t)) continue;
      // Most tokens in the window fired on an earlier scan: a cheap read avoids
      // building their messages again.
      auto fired = alerts.has_fired(p.id, t->id, *t->expires_at);
      if (!fired) return fired.error();
      if (*fired) continue;
      const std::string correlation = new_uuid(random);
      const auto messages = messages_for(p, *t, now, correlation, random);
      auto recorded = alerts.record_firing(AlertFiring{p.id, t->id, *t->expires_at, now, correlation}, messages);
      if (!recorded) return recorded.error();
      if (*recorded) {
        ++result.fired;
        result.messages += static_cast<int>(messages.size());
      }
    }
  }
  return result;
}

}  // namespace gatehouse::notify
