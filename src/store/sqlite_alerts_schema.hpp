#pragma once
// The "alerts" component's migration steps and the row mapping shared by the two
// halves of SqliteAlertStore (configuration, and firing/outbox). Internal to the store.
#include "store/alert_store.hpp"
#include "store/sqlite_util.hpp"

#include <array>
#include <string_view>

namespace gatehouse::sqlite {

// Append only: a released step never changes (store/sqlite_component.hpp).
inline constexpr std::array<std::string_view, 2> kAlertMigrations = {
    R"sql(
CREATE TABLE alert_policies (
  id           TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  description  TEXT NOT NULL,
  enabled      INTEGER NOT NULL,
  alert_type   TEXT NOT NULL,
  token_filter INTEGER NOT NULL,  -- 1: only the tokens listed in alert_policy_targets
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX alert_policies_by_account ON alert_policies(account_id, created_at, id);
-- mechanisms and filters, in order: kind 'email' (an address), 'webhook' (a
-- destination id), 'token' (a service token id)
CREATE TABLE alert_policy_targets (
  policy_id TEXT NOT NULL REFERENCES alert_policies(id) ON DELETE CASCADE,
  kind      TEXT NOT NULL,
  position  INTEGER NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (policy_id, kind, position)
);
CREATE INDEX alert_policy_targets_by_value ON alert_policy_targets(kind, value);
CREATE TABLE alert_webhooks (
  id           TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  url          TEXT NOT NULL,
  secret       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  last_success INTEGER,
  last_failure INTEGER
);
CREATE INDEX alert_webhooks_by_account ON alert_webhooks(account_id, created_at, id);
CREATE TABLE alert_firings (
  policy_id      TEXT NOT NULL REFERENCES alert_policies(id) ON DELETE CASCADE,
  token_id       TEXT NOT NULL,
  expires_at     INTEGER NOT NULL,
  fired_at       INTEGER NOT NULL,
  correlation_id TEXT NOT NULL,
  PRIMARY KEY (policy_id, token_id, expires_at)
);
CREATE TABLE alert_outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  account_id      TEXT NOT NULL,
  policy_id       TEXT NOT NULL,
  policy_name     TEXT NOT NULL,
  alert_type      TEXT NOT NULL,
  token_id        TEXT NOT NULL,
  correlation_id  TEXT NOT NULL,
  kind            TEXT NOT NULL,
  address         TEXT NOT NULL,
  payload         TEXT NOT NULL,
  status          TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  last_error      TEXT NOT NULL,
  delivered_at    INTEGER
);
CREATE INDEX alert_outbox_due ON alert_outbox(status, next_attempt_at);
CREATE INDEX alert_outbox_by_account ON alert_outbox(account_id, created_at);
)sql",
    // 2: webhook secrets are stored sealed under the master key (service/webhook_secret.hpp).
    // The rows' plain-text secrets are sealed by this step's hook (kSealWebhookSecretsStep,
    // sqlite_alerts.cpp) in the same transaction: a database is either all plain (step 1)
    // or all sealed (step 2), never half.
    R"sql(
ALTER TABLE alert_webhooks RENAME COLUMN secret TO secret_sealed;
)sql",
};

inline constexpr int kSealWebhookSecretsStep = 2;

inline constexpr const char* kOutboxColumns =
    "id, account_id, policy_id, policy_name, alert_type, token_id, correlation_id, kind, address, payload, "
    "status, attempts, created_at, next_attempt_at, lease_until, last_error, delivered_at";

OutboxMessage read_outbox(const Statement& s);
Result<void> insert_outbox(sqlite3* db, const OutboxMessage& m);

}  // namespace gatehouse::sqlite
