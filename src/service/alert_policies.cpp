// Notification policies (compat.md §1.5): validation, audited changes, send-test.
#include "core/ids.hpp"
#include "service/access_audit.hpp"
#include "service/access_validation.hpp"
#include "service/alert_json.hpp"
#include "service/alert_payload.hpp"
#include "service/alert_support.hpp"
#include "service/alerts.hpp"
#include "service/json_views.hpp"

#include <algorithm>

namespace gatehouse {

using namespace access_detail;
using namespace alert_detail;

namespace {

constexpr std::size_t kMaxDescriptionChars = 1024;
constexpr std::size_t kMaxRecipients = 100;

Error policy_not_found(std::string_view id) {
  return not_found("alert_policy_not_found", "no alert policy with id " + quoted(id) + " in this account");
}

// Validated, de-duplicated (first occurrence kept) list.
template <class Check>
Result<std::vector<std::string>> validated_list(const std::vector<std::string>& in, const std::string& field,
                                                Check&& check) {
  if (in.size() > kMaxRecipients)
    return bad_request("too_many_values", field + " has " + std::to_string(in.size()) + " entries; the maximum is " +
                                              std::to_string(kMaxRecipients));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto v = check(in[i], field + "[" + std::to_string(i) + "].id");
    if (!v) return v.error();
    if (std::find(out.begin(), out.end(), *v) == out.end()) out.push_back(std::move(*v));
  }
  return out;
}

Result<AlertPolicy> build(Services& s, std::string_view account_id, const AlertPolicyInput& in,
                          const AlertPolicy* base) {
  AlertPolicy p = base ? *base : AlertPolicy{};
  if (in.name) {
    auto v = validate_name(*in.name);
    if (!v) return v.error();
    p.name = std::move(*v);
  } else if (!base) {
    return bad_request("missing_field", "name is required (1 to 256 characters)");
  }
  if (in.description) {
    if (in.description->empty()) {
      p.description.clear();
    } else {
      auto v = validate_text(*in.description, "description", kMaxDescriptionChars);
      if (!v) return v.error();
      p.description = std::move(*v);
    }
  }
  if (in.enabled) p.enabled = *in.enabled;
  if (in.alert_type) {
    if (*in.alert_type != kExpiringServiceTokenAlert)
      return bad_request("unsupported_alert_type", "alert_type " + quoted(*in.alert_type) +
                                                       " is not supported; Gatehouse sends " +
                                                       std::string(kExpiringServiceTokenAlert));
    p.alert_type = *in.alert_type;
  } else if (!base) {
    return bad_request("missing_field", "alert_type is required (" + std::string(kExpiringServiceTokenAlert) + ")");
  }
  if (in.mechanisms_given) {
    auto emails = validated_list(in.emails, "mechanisms.email", [](const std::string& v, const std::string& f) {
      auto e = validate_email(v, f);
      // It becomes an SMTP "RCPT TO:<…>" and a To header: no brackets, quotes or lists.
      if (e && e->find_first_of("<>\",;\\") != std::string::npos)
        return Result<std::string>(bad_request("invalid_email", f + " must be a plain address (local@domain)"));
      return e;
    });
    if (!emails) return emails.error();
    auto hooks = validated_list(in.webhook_ids, "mechanisms.webhooks",
                                [&](const std::string& v, const std::string& f) -> Result<std::string> {
                                  auto w = s.alerting->store.find_webhook(account_id, v);
                                  if (!w) return w.error();
                                  if (!*w)
                                    return bad_request("unknown_webhook", f + ": no webhook destination with id " +
                                                                              quoted(v) + " in this account");
                                  return v;
                                });
    if (!hooks) return hooks.error();
    p.emails = std::move(*emails);
    p.webhook_ids = std::move(*hooks);
  }
  if (in.filters_given) {
    if (!in.token_ids) {
      p.token_ids.reset();
    } else {
      if (in.token_ids->empty())
        return bad_request("invalid_filter",
                           "filters.token_id must name at least one service token; omit it to cover every token");
      auto tokens = validated_list(*in.token_ids, "filters.token_id",
                                   [&](const std::string& v, const std::string& f) -> Result<std::string> {
                                     const std::string field = f.substr(0, f.size() - 3);  // no ".id"
                                     auto t = is_uuid(v) ? s.store.find_service_token(account_id, v)
                                                         : Result<std::optional<ServiceToken>>(std::nullopt);
                                     if (!t) return t.error();
                                     if (!*t)
                                       return bad_request("unknown_service_token",
                                                          field + ": no service token with id " + quoted(v) +
                                                              " in this account");
                                     return v;
                                   });
      if (!tokens) return tokens.error();
      p.token_ids = std::move(*tokens);
    }
  }
  return p;
}

}  // namespace

Result<AlertPolicy> create_alert_policy(Services& s, const Actor& actor, std::string_view account_id,
                                        const AlertPolicyInput& in) {
  if (auto r = need_alerting(s); !r) return r.error();
  auto p = build(s, account_id, in, nullptr);
  if (!p) return p.error();
  p->id = new_uuid(s.random);
  p->account_id = std::string(account_id);
  p->created_at = p->updated_at = s.clock.now();
  auto event = audit_event(s, actor, account_id, "alert_policy.create", "alerting.policy", p->id, p->name, "",
                           serialize(to_json(*p)));
  if (auto r = s.alerting->store.insert_alert_policy(*p, event); !r) return r.error();
  s.alerting->notify();  // it may cover a token that is already due
  return p;
}

Result<AlertPolicy> get_alert_policy(Services& s, std::string_view account_id, std::string_view id) {
  if (auto r = need_alerting(s); !r) return r.error();
  auto found = s.alerting->store.find_alert_policy(account_id, id);
  if (!found) return found.error();
  if (!*found) return policy_not_found(id);
  return std::move(**found);
}

Result<PageOf<AlertPolicy>> list_alert_policies(Services& s, std::string_view account_id, PageRequest page) {
  if (auto r = need_alerting(s); !r) return r.error();
  return s.alerting->store.list_alert_policies(account_id, page);
}

Result<AlertPolicy> update_alert_policy(Services& s, const Actor& actor, std::string_view account_id,
                                        std::string_view id, const AlertPolicyInput& in) {
  if (auto r = need_alerting(s); !r) return r.error();
  for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
    auto before = get_alert_policy(s, account_id, id);
    if (!before) return before.error();
    auto after = build(s, account_id, in, &*before);
    if (!after) return after.error();
    if (*after == *before) return after;  // nothing to change
    after->updated_at = next_updated_at(s.clock.now(), before->updated_at);
    auto event = audit_event(s, actor, account_id, "alert_policy.update", "alerting.policy", after->id, after->name,
                             serialize(to_json(*before)), serialize(to_json(*after)));
    auto stored = s.alerting->store.update_alert_policy(*after, before->updated_at, event);
    if (!stored) return stored.error();
    if (*stored) {
      s.alerting->notify();
      return after;
    }
  }
  return concurrent_update("alert policy");
}

Result<AlertPolicy> delete_alert_policy(Services& s, const Actor& actor, std::string_view account_id,
                                        std::string_view id) {
  auto before = get_alert_policy(s, account_id, id);
  if (!before) return before.error();
  auto event = audit_event(s, actor, account_id, "alert_policy.delete", "alerting.policy", before->id, before->name,
                           serialize(to_json(*before)), "");
  auto deleted = s.alerting->store.delete_alert_policy(account_id, id, event);
  if (!deleted) return deleted.error();
  if (!*deleted) return policy_not_found(id);
  return before;
}

Result<QueuedTest> test_alert_policy(Services& s, const Actor& actor, std::string_view account_id,
                                     std::string_view id) {
  auto policy = get_alert_policy(s, account_id, id);
  if (!policy) return policy.error();
  if (policy->emails.empty() && policy->webhook_ids.empty())
    return bad_request("no_mechanisms", "the alert policy " + quoted(policy->name) +
                                            " has no email recipient or webhook to test (mechanisms is empty)");
  const Time now = s.clock.now();
  const std::string correlation = new_uuid(s.random);
  const std::string payload = serialize(test_payload(account_id, &*policy, nullptr, now, correlation));
  QueuedTest out;
  for (const auto& e : policy->emails)
    out.messages.push_back(test_message(s, *policy, OutboxKind::email, e, payload, correlation, now));
  for (const auto& w : policy->webhook_ids)
    out.messages.push_back(test_message(s, *policy, OutboxKind::webhook, w, payload, correlation, now));
  auto event = audit_event(s, actor, account_id, "alert_policy.test", "alerting.policy", policy->id, policy->name, "",
                           serialize(json::object{{"test_messages", static_cast<std::int64_t>(out.messages.size())}}));
  if (auto r = s.alerting->store.enqueue_test(out.messages, event); !r) return r.error();
  s.alerting->notify();
  return out;
}

Result<PageOf<OutboxMessage>> list_alert_history(Services& s, const AlertHistoryQuery& q) {
  if (auto r = need_alerting(s); !r) return r.error();
  return s.alerting->store.list_alert_history(q);
}

}  // namespace gatehouse
