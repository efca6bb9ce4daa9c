#include "service/alert_json.hpp"

#include "service/json_views.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

namespace gatehouse {

namespace json = boost::json;

namespace {

json::array ids(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.push_back(json::object{{"id", v}});
  return out;
}

}  // namespace

json::object to_json(const AlertPolicy& p) {
  json::object filters;
  if (p.token_ids) {
    json::array tokens;
    for (const auto& t : *p.token_ids) tokens.push_back(json::value(t));
    filters["token_id"] = std::move(tokens);
  }
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"description", p.description},
                      {"enabled", p.enabled},
                      {"alert_type", p.alert_type},
                      {"mechanisms", json::object{{"email", ids(p.emails)}, {"webhooks", ids(p.webhook_ids)}}},
                      {"filters", std::move(filters)},
                      {"created", format_rfc3339(p.created_at)},
                      {"modified", format_rfc3339(p.updated_at)}};
}

json::object to_json(const WebhookDestination& w) {
  return json::object{{"id", w.id},
                      {"name", w.name},
                      {"url", w.url},
                      {"type", "generic"},
                      {"secret_set", !w.secret_sealed.empty()},
                      {"created_at", format_rfc3339(w.created_at)},
                      {"updated_at", format_rfc3339(w.updated_at)},
                      {"last_success", json_time(w.last_success)},
                      {"last_failure", json_time(w.last_failure)}};
}

json::object history_json(const OutboxMessage& m) {
  std::string text, token_name;
  boost::system::error_code ec;
  const json::value payload = json::parse(m.payload, ec);
  if (!ec && payload.is_object()) {
    if (const auto* t = payload.as_object().if_contains("text"); t && t->is_string()) text = t->as_string();
    if (const auto* d = payload.as_object().if_contains("data"); d && d->is_object() && !m.token_id.empty())
      if (const auto* n = d->as_object().if_contains("name"); n && n->is_string()) token_name = n->as_string();
  }
  const bool delivered = m.status == OutboxStatus::delivered;
  return json::object{{"id", m.id},
                      {"name", m.policy_name},
                      {"policy_name", m.policy_name},
                      {"description", text},
                      {"alert_body", m.payload},
                      {"alert_type", m.alert_type},
                      {"mechanism", m.address},
                      {"mechanism_type", to_string(m.kind)},
                      {"policy_id", m.policy_id},
                      {"sent", delivered ? json_time(m.delivered_at) : json::value(nullptr)},
                      {"status", to_string(m.status)},
                      {"attempts", m.attempts},
                      {"last_error", m.last_error},
                      {"created_at", format_rfc3339(m.created_at)},
                      {"next_attempt_at", m.status == OutboxStatus::pending ? json_time(m.next_attempt_at)
                                                                            : json::value(nullptr)},
                      {"token_id", m.token_id.empty() ? json::value(nullptr) : json::value(m.token_id)},
                      {"token_name", m.token_id.empty() ? json::value(nullptr) : json::value(token_name)},
                      {"alert_correlation_id", m.correlation_id}};
}

json::object available_alerts_json() {
  json::object alert{
      {"type", kExpiringServiceTokenAlert},
      {"display_name", "Expiring Access Service Token Alert"},
      {"description",
       "Receive an alert when an Access service token is within 7 days of its expiry, once per token and "
       "expiry (a refresh re-arms it)."},
      {"filter_options",
       json::array{json::object{{"ComparisonOperator", "=="}, {"Key", "token_id"}, {"Optional", true},
                                {"Type", "string"}, {"Description", "Service token ids; omit for every token"}}}}};
  return json::object{{"Access", json::array{std::move(alert)}}};
}

}  // namespace gatehouse
