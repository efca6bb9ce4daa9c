#pragma once
// Persistence of expiring-token alerts (compat.md §1.5): notification policies,
// webhook destinations, the firing records that make each alert fire once, and the
// outbox that delivers it (its rows are also the alert history).
//
// Like Store, every mutating call is one transaction: a successful return means it is
// on disk. Policy and webhook changes carry their audit event in the same transaction.
// Implementations: SqliteAlertStore (a component of the SQLite database); a
// PostgreSQL backend implements the same and passes tests/unit/alerts.
#include "core/account.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse {

inline constexpr std::string_view kExpiringServiceTokenAlert = "expiring_service_token_alert";

struct AlertPolicy {
  std::string id;  // UUID
  std::string account_id;
  std::string name;
  std::string description;
  bool enabled = true;
  std::string alert_type;
  std::vector<std::string> emails;       // mechanisms.email[].id, in order
  std::vector<std::string> webhook_ids;  // mechanisms.webhooks[].id, in order
  // filters.token_id: empty = every current and future token of the account.
  std::optional<std::vector<std::string>> token_ids;
  Time created_at{};
  Time updated_at{};  // the optimistic-concurrency token of update_alert_policy

  friend bool operator==(const AlertPolicy&, const AlertPolicy&) = default;
};

struct WebhookDestination {
  std::string id;  // UUID
  std::string account_id;
  std::string name;
  std::string url;
  // The secret sent as `cf-webhook-auth`, sealed under the master key
  // (service/webhook_secret.hpp): the store never holds it in plain text. "" = no
  // secret. The API never returns it and audit events never contain it.
  std::string secret_sealed;
  Time created_at{};
  Time updated_at{};
  std::optional<Time> last_success;  // of a delivery to it
  std::optional<Time> last_failure;

  friend bool operator==(const WebhookDestination&, const WebhookDestination&) = default;
};

enum class OutboxKind { email, webhook };
enum class OutboxStatus {
  pending,    // waiting for its next attempt
  sending,    // claimed by a delivery worker (lease_until bounds the claim)
  delivered,  // the server accepted it
  failed,     // given up (destination deleted, or retried past the give-up age)
};
std::string_view to_string(OutboxKind k);
std::string_view to_string(OutboxStatus s);

// One message to one recipient (an email address or a webhook destination).
struct OutboxMessage {
  std::string id;  // UUID; also the email's Message-ID, stable across retries
  std::string account_id;
  std::string policy_id;  // the policy that fired (or whose test this is)
  std::string policy_name;
  std::string alert_type;  // expiring_service_token_alert, or "test"
  std::string token_id;    // "" for a test
  std::string correlation_id;
  OutboxKind kind = OutboxKind::email;
  std::string address;  // the email address, or the webhook destination's id
  std::string payload;  // the generic JSON payload (compat.md §1.5); emails are rendered from it
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;  // counted when claimed
  Time created_at{};
  Time next_attempt_at{};
  std::optional<Time> lease_until;
  std::string last_error;
  std::optional<Time> delivered_at;

  friend bool operator==(const OutboxMessage&, const OutboxMessage&) = default;
};

// (policy, token, expires_at) fires once: a refresh moves expires_at, so the same
// token may fire again for its new expiry.
struct AlertFiring {
  std::string policy_id;
  std::string token_id;
  Time expires_at{};
  Time fired_at{};
  std::string correlation_id;
};

struct AlertHistoryQuery {
  std::string account_id;
  std::optional<Time> since;   // created_at >= since
  std::optional<Time> before;  // created_at < before
  PageRequest page;
};

// A policy that names a webhook (why it cannot be deleted).
struct AlertPolicyRef {
  std::string id;
  std::string name;
  friend bool operator==(const AlertPolicyRef&, const AlertPolicyRef&) = default;
};

class AlertStore {
 public:
  virtual ~AlertStore() = default;

  // ---- policies (listed by creation, then id)
  virtual Result<void> insert_alert_policy(const AlertPolicy& p, const AuditEvent& event) = 0;
  // Stores `p` if the stored updated_at still equals `expected_updated_at`; else false.
  virtual Result<bool> update_alert_policy(const AlertPolicy& p, Time expected_updated_at,
                                           const AuditEvent& event) = 0;
  // Also forgets its firing records; its outbox messages stay (they are history).
  virtual Result<bool> delete_alert_policy(std::string_view account_id, std::string_view id,
                                           const AuditEvent& event) = 0;
  virtual Result<std::optional<AlertPolicy>> find_alert_policy(std::string_view account_id,
                                                               std::string_view id) = 0;
  virtual Result<PageOf<AlertPolicy>> list_alert_policies(std::string_view account_id, PageRequest page) = 0;
  // Every account's enabled policies, for the scheduler.
  virtual Result<std::vector<AlertPolicy>> list_enabled_alert_policies() = 0;

  // ---- webhook destinations (listed by creation, then id)
  virtual Result<void> insert_webhook(const WebhookDestination& w, const AuditEvent& event) = 0;
  // Name, url, secret_sealed and updated_at, if updated_at is still `expected_updated_at`.
  virtual Result<bool> update_webhook(const WebhookDestination& w, Time expected_updated_at,
                                      const AuditEvent& event) = 0;
  // A webhook that a policy still names is not deleted: 409 "webhook_in_use" naming
  // the policies. Its undelivered messages become failed ("destination deleted").
  virtual Result<bool> delete_webhook(std::string_view account_id, std::string_view id,
                                      const AuditEvent& event) = 0;
  virtual Result<std::optional<WebhookDestination>> find_webhook(std::string_view account_id,
                                                                 std::string_view id) = 0;
  virtual Result<PageOf<WebhookDestination>> list_webhooks(std::string_view account_id, PageRequest page) = 0;
  virtual Result<std::vector<AlertPolicyRef>> policies_using_webhook(std::string_view account_id,
                                                                     std::string_view webhook_id) = 0;

  // ---- firing
  // Records `firing` and enqueues `messages` in one transaction, if (policy, token,
  // expires_at) has not fired yet, the policy still exists and is enabled, and the
  // token still exists, enabled, with that expires_at (re-checked inside the
  // transaction, so a concurrent refresh or disable cannot fire a stale alert).
  // False (nothing written) otherwise.
  virtual Result<bool> record_firing(const AlertFiring& firing, std::span<const OutboxMessage> messages) = 0;
  virtual Result<bool> has_fired(std::string_view policy_id, std::string_view token_id, Time expires_at) = 0;
  // A test message (send-test actions), with its audit event.
  virtual Result<void> enqueue_test(std::span<const OutboxMessage> messages, const AuditEvent& event) = 0;

  // ---- delivery: claim -> send -> mark
  // Claims up to `limit` messages that are due at `now` (pending with next_attempt_at
  // <= now, or sending with an expired lease): status sending, attempts + 1,
  // lease_until set. Oldest due first.
  virtual Result<std::vector<OutboxMessage>> claim_due(Time now, Time lease_until, int limit) = 0;
  // The server accepted it. A webhook's last_success moves too.
  virtual Result<void> mark_delivered(std::string_view id, Time when) = 0;
  // This attempt failed: back to pending until `next_attempt_at`. A webhook's
  // last_failure moves too.
  virtual Result<void> mark_retry(std::string_view id, std::string_view error, Time when, Time next_attempt_at) = 0;
  // Given up: status failed.
  virtual Result<void> mark_failed(std::string_view id, std::string_view error, Time when) = 0;
  // At start-up: this process holds no claims, so every `sending` row is pending
  // again (delivered at most once more: the only duplicate window is a crash after
  // the server accepted a message and before mark_delivered committed).
  virtual Result<int> release_claims() = 0;
  // The earliest next_attempt_at of a pending message (or lease_until of a claimed one).
  virtual Result<std::optional<Time>> next_due() = 0;
  virtual Result<std::optional<OutboxMessage>> find_message(std::string_view id) = 0;

  // ---- history: the outbox, newest first
  virtual Result<PageOf<OutboxMessage>> list_alert_history(const AlertHistoryQuery& q) = 0;
};

}  // namespace gatehouse
