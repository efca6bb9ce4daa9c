#include "service/alert_payload.hpp"

#include <chrono>

namespace gatehouse {

namespace json = boost::json;

namespace {

std::int64_t unix_seconds(Time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string plural(std::int64_t n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

}  // namespace

std::string refresh_command(std::string_view token_id) { return "gatehouse token refresh " + std::string(token_id); }

std::string relative_time(Time at, Time now) {
  using namespace std::chrono;
  const auto diff = duration_cast<seconds>(at - now).count();
  const std::int64_t a = diff < 0 ? -diff : diff;
  std::string amount;
  if (a < 60) amount = plural(a, "second");
  else if (a < 3600) amount = plural(a / 60, "minute");
  else if (a < 86400) amount = plural(a / 3600, "hour") + (a % 3600 >= 60 ? " " + plural(a % 3600 / 60, "minute") : "");
  else amount = plural(a / 86400, "day") + (a % 86400 >= 3600 ? " " + plural(a % 86400 / 3600, "hour") : "");
  return diff < 0 ? amount + " ago" : "in " + amount;
}

json::object expiring_token_payload(const AlertPolicy& policy, const ServiceToken& token, Time now,
                                    std::string_view correlation_id) {
  const std::string expires = token.expires_at ? format_rfc3339(*token.expires_at) : std::string();
  json::object data{{"id", token.id},
                    {"name", token.name},
                    {"client_id", token.client_id},
                    {"expires_at", expires},
                    {"enabled", token.enabled},
                    {"refresh_command", refresh_command(token.id)},
                    {"dashboard_path", kDashboardTokensPath}};
  const std::string text = "Service token \"" + token.name + "\" (Client ID " + token.client_id + ") expires at " +
                           expires + (token.expires_at ? " (" + relative_time(*token.expires_at, now) + ")" : "") +
                           ". Refresh it: " + refresh_command(token.id);
  return json::object{{"name", policy.name},
                      {"text", text},
                      {"data", std::move(data)},
                      {"ts", unix_seconds(now)},
                      {"account_id", policy.account_id},
                      {"policy_id", policy.id},
                      {"policy_name", policy.name},
                      {"alert_type", policy.alert_type},
                      {"alert_correlation_id", correlation_id}};
}

json::object test_payload(std::string_view account_id, const AlertPolicy* policy, const WebhookDestination* webhook,
                          Time now, std::string_view correlation_id) {
  json::object data{{"test", true}};
  std::string text;
  if (policy) {
    text = "This is a test notification of the Gatehouse alert policy \"" + policy->name +
           "\". If you can read it, this destination receives the policy's alerts.";
    data["policy_alert_type"] = policy->alert_type;
  } else if (webhook) {
    text = "This is a test notification from Gatehouse to the webhook destination \"" + webhook->name +
           "\". If you can read it, the destination works.";
    data["destination_id"] = webhook->id;
    data["destination_name"] = webhook->name;
  }
  return json::object{{"name", policy ? policy->name : "Gatehouse test notification"},
                      {"text", text},
                      {"data", std::move(data)},
                      {"ts", unix_seconds(now)},
                      {"account_id", account_id},
                      {"policy_id", policy ? policy->id : std::string()},
                      {"policy_name", policy ? policy->name : std::string()},
                      {"alert_type", kTestAlertType},
                      {"alert_correlation_id", correlation_id}};
}

}  // namespace gatehouse
