// SqliteAlertStore, configuration half: migrations, notification policies and
// webhook destinations. (Firing and the outbox: sqlite_alert_outbox.cpp.)
#include "store/sqlite_alerts.hpp"

#include "store/sqlite_alerts_schema.hpp"
#include "store/sqlite_component.hpp"
#include "store/sqlite_tx.hpp"

namespace gatehouse {

using sqlite::db_error;
using sqlite::in_transaction;
using sqlite::Statement;

std::string_view to_string(OutboxKind k) { return k == OutboxKind::email ? "email" : "webhook"; }

std::string_view to_string(OutboxStatus s) {
  switch (s) {
    case OutboxStatus::pending: return "pending";
    case OutboxStatus::sending: return "sending";
    case OutboxStatus::delivered: return "delivered";
    case OutboxStatus::failed: return "failed";
  }
  return "pending";
}

namespace {

constexpr const char* kPolicyColumns =
    "id, account_id, name, description, enabled, alert_type, token_filter, created_at, updated_at";

constexpr const char* kWebhookColumns =
    "id, account_id, name, url, secret_sealed, created_at, updated_at, last_success, last_failure";

// Steps a SELECT of kPolicyColumns to the end, then loads each policy's targets.
Result<std::vector<AlertPolicy>> read_policies(sqlite3* db, Statement& s) {
  std::vector<AlertPolicy> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    AlertPolicy p;
    p.id = s.text(0);
    p.account_id = s.text(1);
    p.name = s.text(2);
    p.description = s.text(3);
    p.enabled = s.int64(4) != 0;
    p.alert_type = s.text(5);
    if (s.int64(6) != 0) p.token_ids.emplace();
    p.created_at = s.time(7);
    p.updated_at = s.time(8);
    out.push_back(std::move(p));
  }
  if (rc != SQLITE_DONE) return db_error(db, "read alert policies");
  Statement t(db, "SELECT kind, value FROM alert_policy_targets WHERE policy_id = ? ORDER BY kind, position");
  for (auto& p : out) {
    t.reset();
    t.bind(1, p.id);
    while ((rc = t.step()) == SQLITE_ROW) {
      const std::string kind = t.text(0);
      if (kind == "email") p.emails.push_back(t.text(1));
      else if (kind == "webhook") p.webhook_ids.push_back(t.text(1));
      else if (kind == "token" && p.token_ids) p.token_ids->push_back(t.text(1));
    }
    if (rc != SQLITE_DONE) return db_error(db, "read alert policy targets");
  }
  return out;
}

Result<void> insert_targets(sqlite3* db, const AlertPolicy& p) {
  Statement s(db, "INSERT INTO alert_policy_targets (policy_id, kind, position, value) VALUES (?,?,?,?)");
  auto add = [&](const char* kind, const std::vector<std::string>& values) -> Result<void> {
    for (std::size_t i = 0; i < values.size(); ++i) {
      s.reset();
      s.bind(1, p.id).bind(2, kind).bind(3, static_cast<std::int64_t>(i)).bind(4, values[i]);
      if (s.step() != SQLITE_DONE) return db_error(db, "write alert policy targets");
    }
    return {};
  };
  if (auto r = add("email", p.emails); !r) return r;
  if (auto r = add("webhook", p.webhook_ids); !r) return r;
  if (p.token_ids)
    if (auto r = add("token", *p.token_ids); !r) return r;
  return {};
}

WebhookDestination read_webhook(const Statement& s) {
  WebhookDestination w;
  w.id = s.text(0);
  w.account_id = s.text(1);
  w.name = s.text(2);
  w.url = s.text(3);
  w.secret_sealed = s.text(4);
  w.created_at = s.time(5);
  w.updated_at = s.time(6);
  w.last_success = s.opt_time(7);
  w.last_failure = s.opt_time(8);
  return w;
}

Result<std::vector<AlertPolicyRef>> webhook_users(sqlite3* db, std::string_view account_id, std::string_view id) {
  Statement s(db,
              "SELECT DISTINCT p.id, p.name, p.created_at FROM alert_policy_targets t JOIN alert_policies p "
              "ON p.id = t.policy_id WHERE t.kind = 'webhook' AND t.value = ? AND p.account_id = ? "
              "ORDER BY p.created_at, p.id");
  s.bind(1, id).bind(2, account_id);
  std::vector<AlertPolicyRef> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back({s.text(0), s.text(1)});
  if (rc != SQLITE_DONE) return db_error(db, "read policies using a webhook");
  return out;
}

std::int64_t offset(PageRequest page) { return static_cast<std::int64_t>(page.page - 1) * page.per_page; }

// Migration step kSealWebhookSecretsStep: every secret in the (just renamed) column is
// still plain text; seal each in place. Runs inside the step's transaction.
Result<void> seal_plain_secrets(sqlite3* db, const WebhookSecretSealer& seal, bool& sealed_any) {
  struct Plain {
    std::string account_id, id, secret;
  };
  std::vector<Plain> rows;
  Statement s(db, "SELECT account_id, id, secret_sealed FROM alert_webhooks WHERE secret_sealed <> ''");
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) rows.push_back({s.text(0), s.text(1), s.text(2)});
  if (rc != SQLITE_DONE) return db_error(db, "read webhook secrets to encrypt");
  if (rows.empty()) return {};
  if (!seal)
    return internal_error("no_master_key", "the database holds " + std::to_string(rows.size()) +
                                               " plain-text webhook secret(s) to encrypt, and no master key was "
                                               "given to encrypt them");
  // secure_delete zeroes the space the plain values leave behind, so they do not live
  // on in free space of the file's pages.
  if (auto r = sqlite::exec(db, "PRAGMA secure_delete = ON", "encrypt webhook secrets"); !r) return r.error();
  Statement u(db, "UPDATE alert_webhooks SET secret_sealed = ? WHERE id = ?");
  Result<void> out;
  for (const auto& row : rows) {
    auto sealed = seal(row.account_id, row.id, row.secret);
    if (!sealed) {
      out = sealed.error();
      break;
    }
    u.reset();
    u.bind(1, *sealed).bind(2, row.id);
    if (u.step() != SQLITE_DONE) {
      out = db_error(db, "store an encrypted webhook secret");
      break;
    }
  }
  (void)sqlite::exec(db, "PRAGMA secure_delete = OFF", "encrypt webhook secrets");
  sealed_any = out.has_value();
  return out;
}

}  // namespace

Result<std::unique_ptr<SqliteAlertStore>> SqliteAlertStore::open(SqliteStore& core, const WebhookSecretSealer& seal) {
  std::lock_guard lock(core.mutex());
  bool sealed_any = false;
  auto hook = [&](sqlite3* db, int version) -> Result<void> {
    if (version == sqlite::kSealWebhookSecretsStep) return seal_plain_secrets(db, seal, sealed_any);
    return {};
  };
  if (auto r = migrate_component(core.handle(), "alerts", sqlite::kAlertMigrations, hook); !r) return r.error();
  // The WAL still holds the pages with the plain values until it is checkpointed and
  // truncated. Best effort: a reader in another process may keep it a little longer.
  if (sealed_any) (void)sqlite::exec(core.handle(), "PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint");
  return std::unique_ptr<SqliteAlertStore>(new SqliteAlertStore(core));
}

// ---- policies

Result<void> SqliteAlertStore::insert_alert_policy(const AlertPolicy& p, const AuditEvent& event) {
  sqlite3* db = core_.handle();
  auto r = in_transaction(core_.group_commit(), event, [&]() -> Result<bool> {
    Statement s(db, std::string("INSERT INTO alert_policies (") + kPolicyColumns + ") VALUES (?,?,?,?,?,?,?,?,?)");
    s.bind(1, p.id).bind(2, p.account_id).bind(3, p.name).bind(4, p.description).bind(5, p.enabled);
    s.bind(6, p.alert_type).bind(7, p.token_ids.has_value()).bind(8, p.created_at).bind(9, p.updated_at);
    if (s.step() != SQLITE_DONE)
      return sqlite::write_error(db, "insert alert policy", "alert_policy_exists", "an alert policy with this id exists");
    if (auto t = insert_targets(db, p); !t) return t.error();
    return true;
  });
  if (!r) return r.error();
  return {};
}

Result<bool> SqliteAlertStore::update_alert_policy(const AlertPolicy& p, Time expected_updated_at,
                                                   const AuditEvent& event) {
  sqlite3* db = core_.handle();
  return in_transaction(core_.group_commit(), event, [&]() -> Result<bool> {
    Statement s(db,
                "UPDATE alert_policies SET name = ?, description = ?, enabled = ?, alert_type = ?, token_filter = ?, "
                "updated_at = ? WHERE account_id = ? AND id = ? AND updated_at = ?");
    s.bind(1, p.name).bind(2, p.description).bind(3, p.enabled).bind(4, p.alert_type);
    s.bind(5, p.token_ids.has_value()).bind(6, p.updated_at).bind(7, p.account_id).bind(8, p.id);
    s.bind(9, expected_updated_at);
    if (s.step() != SQLITE_DONE) return db_error(db, "update alert policy");
    if (sqlite3_changes(db) == 0) return false;
    Statement d(db, "DELETE FROM alert_policy_targets WHERE policy_id = ?");
    d.bind(1, p.id);
    if (d.step() != SQLITE_DONE) return db_error(db, "update alert policy targets");
    if (auto t = insert_targets(db, p); !t) return t.error();
    return true;
  });
}

Result<bool> SqliteAlertStore::delete_alert_policy(std::string_view account_id, std::string_view id,
                                                   const AuditEvent& event) {
  sqlite3* db = core_.handle();
  return in_transaction(core_.group_commit(), event, [&]() -> Result<bool> {
    Statement s(db, "DELETE FROM alert_policies WHERE account_id = ? AND id = ?");
    s.bind(1, account_id).bind(2, id);
    if (s.step() != SQLITE_DONE) return db_error(db, "delete alert policy");
    return sqlite3_changes(db) > 0;
  });
}

Result<std::optional<AlertPolicy>> SqliteAlertStore::find_alert_policy(std::string_view account_id,
                                                                       std::string_view id) {
  std::lock_guard lock(core_.mutex());
  Statement s(core_.handle(),
              std::string("SELECT ") + kPolicyColumns + " FROM alert_policies WHERE account_id = ? AND id = ?");
  s.bind(1, account_id).bind(2, id);
  auto found = read_policies(core_.handle(), s);
  if (!found) return found.error();
  if (found->empty()) return std::optional<AlertPolicy>();
  return std::optional<AlertPolicy>(std::move(found->front()));
}

Result<PageOf<AlertPolicy>> SqliteAlertStore::list_alert_policies(std::string_view account_id, PageRequest page) {
  std::lock_guard lock(core_.mutex());
  sqlite3* db = core_.handle();
  PageOf<AlertPolicy> out;
  Statement c(db, "SELECT count(*) FROM alert_policies WHERE account_id = ?");
  c.bind(1, account_id);
  if (c.step() != SQLITE_ROW) return db_error(db, "count alert policies");
  out.total_count = c.int64(0);
  Statement s(db, std::string("SELECT ") + kPolicyColumns +
                      " FROM alert_policies WHERE account_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?");
  s.bind(1, account_id).bind(2, page.per_page).bind(3, offset(page));
  auto items = read_policies(db, s);
  if (!items) return items.error();
  out.items = std::move(*items);
  return out;
}

Result<std::vector<AlertPolicy>> SqliteAlertStore::list_enabled_alert_policies() {
  std::lock_guard lock(core_.mutex());
  Statement s(core_.handle(),
              std::string("SELECT ") + kPolicyColumns + " FROM alert_policies WHERE enabled = 1 ORDER BY created_at, id");
  return read_policies(core_.handle(), s);
}

// ---- webhooks

Result<void> SqliteAlertStore::insert_webhook(const WebhookDestination& w, const AuditEvent& event) {
  sqlite3* db = core_.handle();
  auto r = in_transaction(core_.group_commit(), event, [&]() -> Result<bool> {
    Statement s(db, std::string("INSERT INTO alert_webhooks (") + kWebhookColumns + ") VALUES (?,?,?,?,?,?,?,?,?)");
    s.bind(1, w.id).bind(2, w.account_id).bind(3, w.name).bind(4, w.url).bind(5, w.secret_sealed);
    s.bind(6, w.created_at).bind(7, w.updated_at).bind(8, w.last_success).bind(9, w.last_failure);
    if (s.step() != SQLITE_DONE)
      return sqlite::write_error(db, "insert webhook", "webhook_exists", "a webhook destination with this id exists");
    return true;
  });
  if (!r) return r.error();
  return {};
}

Result<bool> SqliteAlertStore::update_webhook(const WebhookDestination& w, Time expected_updated_at,
                                              const AuditEvent& event) {
  sqlite3* db = core_.handle();
  return in_transaction(core_.group_commit(), event, [&]() -> Result<bool> {
    Statement s(db,
                "UPDATE alert_webhooks SET name = ?, url = ?, secret_sealed = ?, updated_at = ? "
                "WHERE account_id = ? AND id = ? AND updated_at = ?");
    s.bind(1, w.name).bind(2, w.url).bind(3, w.secret_sealed).bind(4, w.updated_at).bind(5, w.account_id).bind(6, w.id);
    s.bind(7, expected_updated_at);
    if (s.step() != SQLITE_DONE) return db_error(db, "update webhook");
    return sqlite3_changes(db) > 0;
  });
}

Result<bool> SqliteAlertStore::delete_webhook(std::string_view account_id, std::string_view id,
                                              const AuditEvent& event) {
  sqlite3* db = core_.handle();
  return in_transaction(core_.group_commit(), event, [&]() -> Result<bool> {
    // Checked inside the write transaction, so no policy can start naming it meanwhile.
    auto users = webhook_users(db, account_id, id);
    if (!users) return users.error();
    if (!users->empty()) {
      std::string names;
      for (const auto& u : *users) names += (names.empty() ? "\"" : ", \"") + u.name + "\"";
      return conflict("webhook_in_use", "the webhook destination is used by the alert " +
                                            std::string(users->size() == 1 ? "policy " : "policies ") + names +
                                            "; remove it from them first");
    }
    Statement s(db, "DELETE FROM alert_webhooks WHERE account_id = ? AND id = ?");
    s.bind(1, account_id).bind(2, id);
    if (s.step() != SQLITE_DONE) return db_error(db, "delete webhook");
    if (sqlite3_changes(db) == 0) return false;
    Statement f(db,
                "UPDATE alert_outbox SET status = 'failed', lease_until = NULL, "
                "last_error = 'the webhook destination was deleted' "
                "WHERE kind = 'webhook' AND address = ? AND status IN ('pending', 'sending')");
    f.bind(1, id);
    if (f.step() != SQLITE_DONE) return db_error(db, "cancel messages to a deleted webhook");
    return true;
  });
}

Result<std::optional<WebhookDestination>> SqliteAlertStore::find_webhook(std::string_view account_id,
                                                                         std::string_view id) {
  std::lock_guard lock(core_.mutex());
  Statement s(core_.handle(),
              std::string("SELECT ") + kWebhookColumns + " FROM alert_webhooks WHERE account_id = ? AND id = ?");
  s.bind(1, account_id).bind(2, id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<WebhookDestination>(read_webhook(s));
  if (rc != SQLITE_DONE) return db_error(core_.handle(), "read webhook");
  return std::optional<WebhookDestination>();
}

Result<PageOf<WebhookDestination>> SqliteAlertStore::list_webhooks(std::string_view account_id, PageRequest page) {
  std::lock_guard lock(core_.mutex());
  sqlite3* db = core_.handle();
  PageOf<WebhookDestination> out;
  Statement c(db, "SELECT count(*) FROM alert_webhooks WHERE account_id = ?");
  c.bind(1, account_id);
  if (c.step() != SQLITE_ROW) return db_error(db, "count webhooks");
  out.total_count = c.int64(0);
  Statement s(db, std::string("SELECT ") + kWebhookColumns +
                      " FROM alert_webhooks WHERE account_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?");
  s.bind(1, account_id).bind(2, page.per_page).bind(3, offset(page));
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.items.push_back(read_webhook(s));
  if (rc != SQLITE_DONE) return db_error(db, "list webhooks");
  return out;
}

Result<std::vector<AlertPolicyRef>> SqliteAlertStore::policies_using_webhook(std::string_view account_id,
                                                                             std::string_view webhook_id) {
  std::lock_guard lock(core_.mutex());
  return webhook_users(core_.handle(), account_id, webhook_id);
}

}  // namespace gatehouse
