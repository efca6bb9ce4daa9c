// SqliteAlertStore, delivery half: firing records, the outbox (claim -> send -> mark)
// and the history read from it.
#include "store/sqlite_alerts.hpp"
#include "store/sqlite_alerts_schema.hpp"
#include "store/sqlite_tx.hpp"

namespace gatehouse {

using sqlite::db_error;
using sqlite::Statement;
using sqlite::Transaction;

namespace sqlite {

OutboxMessage read_outbox(const Statement& s) {
  OutboxMessage m;
  m.id = s.text(0);
  m.account_id = s.text(1);
  m.policy_id = s.text(2);
  m.policy_name = s.text(3);
  m.alert_type = s.text(4);
  m.token_id = s.text(5);
  m.correlation_id = s.text(6);
  m.kind = s.text(7) == "webhook" ? OutboxKind::webhook : OutboxKind::email;
  m.address = s.text(8);
  m.payload = s.text(9);
  const std::string status = s.text(10);
  m.status = status == "sending"     ? OutboxStatus::sending
             : status == "delivered" ? OutboxStatus::delivered
             : status == "failed"    ? OutboxStatus::failed
                                     : OutboxStatus::pending;
  m.attempts = static_cast<int>(s.int64(11));
  m.created_at = s.time(12);
  m.next_attempt_at = s.time(13);
  m.lease_until = s.opt_time(14);
  m.last_error = s.text(15);
  m.delivered_at = s.opt_time(16);
  return m;
}

Result<void> insert_outbox(sqlite3* db, const OutboxMessage& m) {
  Statement s(db, std::string("INSERT INTO alert_outbox (") + kOutboxColumns +
                      ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, m.id).bind(2, m.account_id).bind(3, m.policy_id).bind(4, m.policy_name).bind(5, m.alert_type);
  s.bind(6, m.token_id).bind(7, m.correlation_id).bind(8, to_string(m.kind)).bind(9, m.address);
  s.bind(10, m.payload).bind(11, to_string(m.status)).bind(12, m.attempts).bind(13, m.created_at);
  s.bind(14, m.next_attempt_at).bind(15, m.lease_until).bind(16, m.last_error).bind(17, m.delivered_at);
  if (s.step() != SQLITE_DONE) return write_error(db, "enqueue alert message", "message_exists", "duplicate message id");
  return {};
}

}  // namespace sqlite

namespace {

// The webhook a message went to: its last_success / last_failure.
Result<void> touch_webhook(sqlite3* db, std::string_view message_id, const char* column, Time when) {
  Statement s(db, std::string("UPDATE alert_webhooks SET ") + column +
                      " = ? WHERE id = (SELECT address FROM alert_outbox WHERE id = ? AND kind = 'webhook')");
  s.bind(1, when).bind(2, message_id);
  if (s.step() != SQLITE_DONE) return db_error(db, "update webhook delivery time");
  return {};
}

// One UPDATE of a message (and maybe its webhook) in a transaction.
template <class Bind>
Result<void> update_message(sqlite3* db, const std::string& sql, Bind&& bind, std::string_view message_id,
                            const char* webhook_column, Time when) {
  Transaction tx(db);
  if (auto r = tx.begin(); !r) return r.error();
  Statement s(db, sql);
  bind(s);
  if (s.step() != SQLITE_DONE) return db_error(db, "update alert message");
  if (webhook_column)
    if (auto r = touch_webhook(db, message_id, webhook_column, when); !r) return r.error();
  return tx.commit();
}

}  // namespace

Result<bool> SqliteAlertStore::record_firing(const AlertFiring& f, std::span<const OutboxMessage> messages) {
  std::lock_guard lock(core_.mutex());
  sqlite3* db = core_.handle();
  Transaction tx(db);
  if (auto r = tx.begin(); !r) return r.error();
  // Re-checked here, under the write lock: the scheduler read the token and the
  // policy earlier, and a refresh, disable or delete may have happened since.
  Statement check(db,
                  "SELECT (SELECT count(*) FROM service_tokens WHERE id = ?1 AND enabled = 1 AND expires_at = ?2), "
                  "(SELECT count(*) FROM alert_policies WHERE id = ?3 AND enabled = 1), "
                  "(SELECT count(*) FROM alert_firings WHERE policy_id = ?3 AND token_id = ?1 AND expires_at = ?2)");
  check.bind(1, f.token_id).bind(2, f.expires_at).bind(3, f.policy_id);
  if (check.step() != SQLITE_ROW) return db_error(db, "check alert firing");
  if (check.int64(0) == 0 || check.int64(1) == 0 || check.int64(2) != 0) return false;
  Statement s(db,
              "INSERT INTO alert_firings (policy_id, token_id, expires_at, fired_at, correlation_id) "
              "VALUES (?,?,?,?,?)");
  s.bind(1, f.policy_id).bind(2, f.token_id).bind(3, f.expires_at).bind(4, f.fired_at).bind(5, f.correlation_id);
  if (s.step() != SQLITE_DONE) return db_error(db, "record alert firing");
  for (const auto& m : messages)
    if (auto r = sqlite::insert_outbox(db, m); !r) return r.error();
  if (auto r = tx.commit(); !r) return r.error();
  return true;
}

Result<bool> SqliteAlertStore::has_fired(std::string_view policy_id, std::string_view token_id, Time expires_at) {
  std::lock_guard lock(core_.mutex());
  Statement s(core_.handle(),
              "SELECT count(*) FROM alert_firings WHERE policy_id = ? AND token_id = ? AND expires_at = ?");
  s.bind(1, policy_id).bind(2, token_id).bind(3, expires_at);
  if (s.step() != SQLITE_ROW) return db_error(core_.handle(), "read alert firing");
  return s.int64(0) > 0;
}

Result<void> SqliteAlertStore::enqueue_test(std::span<const OutboxMessage> messages, const AuditEvent& event) {
  sqlite3* db = core_.handle();
  auto r = sqlite::in_transaction(core_.group_commit(), event, [&]() -> Result<bool> {
    for (const auto& m : messages)
      if (auto w = sqlite::insert_outbox(db, m); !w) return w.error();
    return true;
  });
  if (!r) return r.error();
  return {};
}

Result<std::vector<OutboxMessage>> SqliteAlertStore::claim_due(Time now, Time lease_until, int limit) {
  std::lock_guard lock(core_.mutex());
  sqlite3* db = core_.handle();
  Transaction tx(db);
  if (auto r = tx.begin(); !r) return r.error();
  std::vector<OutboxMessage> out;
  {
    Statement s(db, std::string("SELECT ") + sqlite::kOutboxColumns +
                        " FROM alert_outbox WHERE (status = 'pending' AND next_attempt_at <= ?1) "
                        "OR (status = 'sending' AND lease_until <= ?1) ORDER BY next_attempt_at, seq LIMIT ?2");
    s.bind(1, now).bind(2, limit);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(sqlite::read_outbox(s));
    if (rc != SQLITE_DONE) return db_error(db, "read due alert messages");
  }
  Statement u(db, "UPDATE alert_outbox SET status = 'sending', attempts = attempts + 1, lease_until = ? WHERE id = ?");
  for (auto& m : out) {
    u.reset();
    u.bind(1, lease_until).bind(2, m.id);
    if (u.step() != SQLITE_DONE) return db_error(db, "claim alert message");
    m.status = OutboxStatus::sending;
    m.attempts += 1;
    m.lease_until = lease_until;
  }
  if (auto r = tx.commit(); !r) return r.error();
  return out;
}

Result<void> SqliteAlertStore::mark_delivered(std::string_view id, Time when) {
  std::lock_guard lock(core_.mutex());
  return update_message(
      core_.handle(),
      "UPDATE alert_outbox SET status = 'delivered', delivered_at = ?, lease_until = NULL, last_error = '' "
      "WHERE id = ?",
      [&](Statement& s) { s.bind(1, when).bind(2, id); }, id, "last_success", when);
}

Result<void> SqliteAlertStore::mark_retry(std::string_view id, std::string_view error, Time when,
                                          Time next_attempt_at) {
  std::lock_guard lock(core_.mutex());
  return update_message(
      core_.handle(),
      "UPDATE alert_outbox SET status = 'pending', next_attempt_at = ?, lease_until = NULL, last_error = ? "
      "WHERE id = ? AND status = 'sending'",
      [&](Statement& s) { s.bind(1, next_attempt_at).bind(2, error).bind(3, id); }, id, "last_failure", when);
}

Result<void> SqliteAlertStore::mark_failed(std::string_view id, std::string_view error, Time when) {
  std::lock_guard lock(core_.mutex());
  return update_message(
      core_.handle(),
      "UPDATE alert_outbox SET status = 'failed', lease_until = NULL, last_error = ? "
      "WHERE id = ? AND status IN ('pending', 'sending')",
      [&](Statement& s) { s.bind(1, error).bind(2, id); }, id, "last_failure", when);
}

Result<int> SqliteAlertStore::release_claims() {
  std::lock_guard lock(core_.mutex());
  sqlite3* db = core_.handle();
  Statement s(db, "UPDATE alert_outbox SET status = 'pending', lease_until = NULL WHERE status = 'sending'");
  if (s.step() != SQLITE_DONE) return db_error(db, "release alert message claims");
  return sqlite3_changes(db);
}

Result<std::optional<Time>> SqliteAlertStore::next_due() {
  std::lock_guard lock(core_.mutex());
  sqlite3* db = core_.handle();
  Statement s(db,
              "SELECT min(t) FROM (SELECT min(next_attempt_at) AS t FROM alert_outbox WHERE status = 'pending' "
              "UNION ALL SELECT min(lease_until) FROM alert_outbox WHERE status = 'sending')");
  if (s.step() != SQLITE_ROW) return db_error(db, "read next alert message");
  return s.opt_time(0);
}

Result<std::optional<OutboxMessage>> SqliteAlertStore::find_message(std::string_view id) {
  std::lock_guard lock(core_.mutex());
  Statement s(core_.handle(), std::string("SELECT ") + sqlite::kOutboxColumns + " FROM alert_outbox WHERE id = ?");
  s.bind(1, id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<OutboxMessage>(sqlite::read_outbox(s));
  if (rc != SQLITE_DONE) return db_error(core_.handle(), "read alert message");
  return std::optional<OutboxMessage>();
}

Result<PageOf<OutboxMessage>> SqliteAlertStore::list_alert_history(const AlertHistoryQuery& q) {
  std::lock_guard lock(core_.mutex());
  sqlite3* db = core_.handle();
  std::string where = " WHERE account_id = ?1";
  if (q.since) where += " AND created_at >= ?2";
  if (q.before) where += " AND created_at < ?3";
  auto bind = [&](Statement& s) {
    s.bind(1, q.account_id);
    if (q.since) s.bind(2, *q.since);
    if (q.before) s.bind(3, *q.before);
  };
  PageOf<OutboxMessage> out;
  Statement c(db, "SELECT count(*) FROM alert_outbox" + where);
  bind(c);
  if (c.step() != SQLITE_ROW) return db_error(db, "count alert history");
  out.total_count = c.int64(0);
  Statement s(db, std::string("SELECT ") + sqlite::kOutboxColumns + " FROM alert_outbox" + where +
                      " ORDER BY seq DESC LIMIT ?4 OFFSET ?5");
  bind(s);
  s.bind(4, q.page.per_page).bind(5, static_cast<std::int64_t>(q.page.page - 1) * q.page.per_page);
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.items.push_back(sqlite::read_outbox(s));
  if (rc != SQLITE_DONE) return db_error(db, "list alert history");
  return out;
}

}  // namespace gatehouse
