#pragma once
// The generic alert payload (compat.md §1.5), stored in the outbox as the body of
// every message: webhooks POST it as is, emails are rendered from it
// (notify/alert_email.hpp). Pure functions.
//
//   {"name": policy name, "text": one-line summary,
//    "data": {"id", "name", "client_id", "expires_at", "refresh_command", "dashboard_path", ...},
//    "ts": unix seconds of the alert, "account_id", "policy_id", "policy_name",
//    "alert_type", "alert_correlation_id"}
#include "core/service_token.hpp"
#include "store/alert_store.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace gatehouse {

inline constexpr std::string_view kDashboardTokensPath = "Access > Service Auth > Service Tokens";
// alert_type of send-test messages.
inline constexpr std::string_view kTestAlertType = "test";

std::string refresh_command(std::string_view token_id);

// The alert for `token` fired by `policy` at `now`. Never holds a secret or a hash.
boost::json::object expiring_token_payload(const AlertPolicy& policy, const ServiceToken& token, Time now,
                                           std::string_view correlation_id);

// A send-test message: for a policy (policy set), or for a webhook destination.
boost::json::object test_payload(std::string_view account_id, const AlertPolicy* policy,
                                 const WebhookDestination* webhook, Time now, std::string_view correlation_id);

// "in 2 days 23 hours", "3 hours ago": the distance from `now` to `at`.
std::string relative_time(Time at, Time now);

}  // namespace gatehouse
