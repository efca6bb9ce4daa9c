#include "notify/alert_email.hpp"

#include "service/alert_payload.hpp"

namespace gatehouse::notify {

namespace json = boost::json;

namespace {

std::string field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const json::object& data_of(const json::object& payload) {
  static const json::object empty;
  const auto* d = payload.if_contains("data");
  return d && d->is_object() ? d->as_object() : empty;
}

EmailContent test_email(const json::object& payload) {
  EmailContent c;
  const std::string policy = field(payload, "policy_name");
  c.subject = policy.empty() ? "[Gatehouse] Test notification" : "[Gatehouse] Test notification: " + policy;
  c.body = field(payload, "text") + "\n\n";
  if (!policy.empty())
    c.body += "Alert policy: " + policy + " (" + field(payload, "policy_id") + ")\n";
  c.body += "Account:      " + field(payload, "account_id") + "\n"
            "Correlation:  " + field(payload, "alert_correlation_id") + "\n\n"
            "No service token is affected; nothing needs to be done.\n";
  return c;
}

}  // namespace

EmailContent render_alert_email(const json::object& payload, Time now) {
  if (field(payload, "alert_type") == kTestAlertType) return test_email(payload);
  const json::object& d = data_of(payload);
  const std::string name = field(d, "name");
  const std::string id = field(d, "id");
  const std::string client_id = field(d, "client_id");
  const std::string expires = field(d, "expires_at");
  auto at = parse_rfc3339(expires, "expires_at");
  const bool past = at && *at <= now;
  const std::string relative = at ? relative_time(*at, now) : std::string("at an unknown time");
  const std::string account = field(payload, "account_id");

  EmailContent c;
  c.subject = "[Gatehouse] Service token \"" + name + "\" " + (past ? "expired " : "expires ") + relative;
  c.body = "The Gatehouse service token \"" + name + "\" " + (past ? "expired " : "expires ") + relative + ".\n"
           "\n"
           "  Token name:  " + name + "\n"
           "  Token ID:    " + id + "\n"
           "  Client ID:   " + client_id + "\n"
           "  Expires at:  " + expires + " (" + relative + ")\n"
           "  Account:     " + account + "\n"
           "\n"
           "From then on every request that presents this token is refused, and\n"
           "the JWTs issued to it stop working. Refresh it before then: a refresh\n"
           "extends its lifetime by one year and keeps the Client ID and the Client\n"
           "Secret, so nothing has to be redeployed.\n"
           "\n"
           "  With the CLI:\n"
           "    " + refresh_command(id) + "\n"
           "\n"
           "  In the dashboard:\n"
           "    " + std::string(kDashboardTokensPath) + ",\n"
           "    select \"" + name + "\", then Refresh.\n"
           "\n"
           "  With the API:\n"
           "    POST /client/v4/accounts/" + account + "/access/service_tokens/" + id + "/refresh\n"
           "\n"
           "You receive this because the alert policy \"" + field(payload, "policy_name") + "\"\n"
           "(" + field(payload, "policy_id") + ") sends " + field(payload, "alert_type") + "\n"
           "notifications to this address. It is sent once for this expiry; after a\n"
           "refresh, Gatehouse warns again 7 days before the new expiry.\n"
           "Alert correlation id: " + field(payload, "alert_correlation_id") + "\n";
  return c;
}

}  // namespace gatehouse::notify
