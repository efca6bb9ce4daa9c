#pragma once
// AlertStore on the shared SQLite database: a component store ("alerts",
// store/sqlite_component.hpp) with its own tables and migration sequence, using the
// SqliteStore's connection under its mutex.
#include "store/alert_store.hpp"
#include "store/sqlite_store.hpp"

#include <functional>
#include <memory>

namespace gatehouse {

// Seals one plain-text webhook secret of an older database while it is migrated (the
// store holds no key; serve passes service/webhook_secret.hpp's seal_webhook_secret).
using WebhookSecretSealer = std::function<Result<std::string>(std::string_view account_id, std::string_view webhook_id,
                                                              std::string_view plaintext)>;

class SqliteAlertStore final : public AlertStore {
 public:
  // Migrates the alert tables of `core`'s database; `core` must outlive the result.
  // `seal` is used only if a database from before sealed secrets holds some: without
  // it, such a database is refused (and left unchanged).
  static Result<std::unique_ptr<SqliteAlertStore>> open(SqliteStore& core, const WebhookSecretSealer& seal);

  Result<void> insert_alert_policy(const AlertPolicy& p, const AuditEvent& event) override;
  Result<bool> update_alert_policy(const AlertPolicy& p, Time expected_updated_at, const AuditEvent& event) override;
  Result<bool> delete_alert_policy(std::string_view account_id, std::string_view id, const AuditEvent& event) override;
  Result<std::optional<AlertPolicy>> find_alert_policy(std::string_view account_id, std::string_view id) override;
  Result<PageOf<AlertPolicy>> list_alert_policies(std::string_view account_id, PageRequest page) override;
  Result<std::vector<AlertPolicy>> list_enabled_alert_policies() override;

  Result<void> insert_webhook(const WebhookDestination& w, const AuditEvent& event) override;
  Result<bool> update_webhook(const WebhookDestination& w, Time expected_updated_at, const AuditEvent& event) override;
  Result<bool> delete_webhook(std::string_view account_id, std::string_view id, const AuditEvent& event) override;
  Result<std::optional<WebhookDestination>> find_webhook(std::string_view account_id, std::string_view id) override;
  Result<PageOf<WebhookDestination>> list_webhooks(std::string_view account_id, PageRequest page) override;
  Result<std::vector<AlertPolicyRef>> policies_using_webhook(std::string_view account_id,
                                                             std::string_view webhook_id) override;

  Result<bool> record_firing(const AlertFiring& firing, std::span<const OutboxMessage> messages) override;
  Result<bool> has_fired(std::string_view policy_id, std::string_view token_id, Time expires_at) override;
  Result<void> enqueue_test(std::span<const OutboxMessage> messages, const AuditEvent& event) override;

  Result<std::vector<OutboxMessage>> claim_due(Time now, Time lease_until, int limit) override;
  Result<void> mark_delivered(std::string_view id, Time when) override;
  Result<void> mark_retry(std::string_view id, std::string_view error, Time when, Time next_attempt_at) override;
  Result<void> mark_failed(std::string_view id, std::string_view error, Time when) override;
  Result<int> release_claims() override;
  Result<std::optional<Time>> next_due() override;
  Result<std::optional<OutboxMessage>> find_message(std::string_view id) override;

  Result<PageOf<OutboxMessage>> list_alert_history(const AlertHistoryQuery& q) override;

 private:
  explicit SqliteAlertStore(SqliteStore& core) : core_(core) {}
  SqliteStore& core_;
};

}  // namespace gatehouse
