#pragma once
// Expiring-token alerts (compat.md §1.5): notification policies, webhook
// destinations, send-test actions and the history. Validation, one transaction per
// change with its audit event (never the webhook secret). Nothing here sends: the
// outbox is delivered by src/notify on its own thread, woken by Alerting::wake.
#include "service/services.hpp"
#include "store/alert_store.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gatehouse {

// What `serve` plugs into Services::alerting.
struct Alerting {
  AlertStore& store;
  // Called after a change that may have made work for the alert worker (a test
  // message, a new or changed policy), so it does not wait for its next interval.
  std::function<void()> wake = {};

  void notify() const {
    if (wake) wake();
  }
};

// The alert window: a token fires when its expires_at is within this of now.
inline constexpr std::chrono::hours kAlertWindow{24 * 7};

// A create (name, alert_type required) or a change (what is set replaces the stored
// value; `mechanisms` replaces both lists, `filters` replaces the token filter).
struct AlertPolicyInput {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> enabled;
  std::optional<std::string> alert_type;
  bool mechanisms_given = false;
  std::vector<std::string> emails;       // with mechanisms_given
  std::vector<std::string> webhook_ids;  // with mechanisms_given
  bool filters_given = false;
  std::optional<std::vector<std::string>> token_ids;  // with filters_given; empty = every token
};

struct WebhookInput {
  std::optional<std::string> name;
  std::optional<std::string> url;
  std::optional<std::string> secret;  // absent = keep; "" = none
};

// The messages a send-test action queued.
struct QueuedTest {
  std::vector<OutboxMessage> messages;
};

// All of these need s.alerting (a 500 "alerting_unavailable" when it is not set).
Result<AlertPolicy> create_alert_policy(Services& s, const Actor& actor, std::string_view account_id,
                                        const AlertPolicyInput& in);
Result<AlertPolicy> get_alert_policy(Services& s, std::string_view account_id, std::string_view id);
Result<PageOf<AlertPolicy>> list_alert_policies(Services& s, std::string_view account_id, PageRequest page);
Result<AlertPolicy> update_alert_policy(Services& s, const Actor& actor, std::string_view account_id,
                                        std::string_view id, const AlertPolicyInput& in);
Result<AlertPolicy> delete_alert_policy(Services& s, const Actor& actor, std::string_view account_id,
                                        std::string_view id);
// A test notification to every recipient and webhook of the policy.
Result<QueuedTest> test_alert_policy(Services& s, const Actor& actor, std::string_view account_id,
                                     std::string_view id);

Result<WebhookDestination> create_webhook(Services& s, const Actor& actor, std::string_view account_id,
                                          const WebhookInput& in);
Result<WebhookDestination> get_webhook(Services& s, std::string_view account_id, std::string_view id);
Result<PageOf<WebhookDestination>> list_webhooks(Services& s, std::string_view account_id, PageRequest page);
Result<WebhookDestination> update_webhook(Services& s, const Actor& actor, std::string_view account_id,
                                          std::string_view id, const WebhookInput& in);
// Refused with 409 while a policy names it.
Result<WebhookDestination> delete_webhook(Services& s, const Actor& actor, std::string_view account_id,
                                          std::string_view id);
Result<QueuedTest> test_webhook(Services& s, const Actor& actor, std::string_view account_id, std::string_view id);

Result<PageOf<OutboxMessage>> list_alert_history(Services& s, const AlertHistoryQuery& q);

// Field validation, shared with the CLI's early checks. Each names `field`.
Result<std::string> validate_webhook_url(std::string_view url, std::string_view field);
Result<std::string> validate_webhook_secret(std::string_view secret, std::string_view field);

}  // namespace gatehouse
