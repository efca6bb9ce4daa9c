#include "store/sqlite_access_log.hpp"

#include "store/sqlite_component.hpp"
#include "store/sqlite_util.hpp"

#include <variant>
#include <vector>

namespace gatehouse {

using sqlite::db_error;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr std::string_view kSteps[] = {
    // 1: the log and its counters. `id` is the rowid (insertion order). Indexes serve
    // the time range (and retention) and the two ways to name a token.
    R"sql(
CREATE TABLE access_requests (
  id                    INTEGER PRIMARY KEY,
  created_at            INTEGER NOT NULL,
  account_id            TEXT NOT NULL,
  app_id                TEXT NOT NULL,
  app_domain            TEXT NOT NULL,
  service_token_id      TEXT NOT NULL,
  service_token_name    TEXT NOT NULL,
  client_id             TEXT NOT NULL,
  allowed               INTEGER NOT NULL,
  reason                TEXT NOT NULL,
  ip_address            TEXT NOT NULL,
  ray_id                TEXT NOT NULL,
  client_secret_version INTEGER NOT NULL,
  via_jwt               INTEGER NOT NULL
);
CREATE INDEX access_requests_by_time ON access_requests(created_at);
CREATE INDEX access_requests_by_token ON access_requests(service_token_id, created_at);
CREATE INDEX access_requests_by_name ON access_requests(service_token_name, created_at);
CREATE TABLE access_log_counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 2: allowed decisions coalesced within a window (audit/coalesce.hpp): how many
    // decisions a row stands for. Rows written before are one decision each.
    R"sql(
ALTER TABLE access_requests ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
)sql",
};

constexpr const char* kColumns =
    "id, created_at, account_id, app_id, app_domain, service_token_id, service_token_name, client_id, allowed, "
    "reason, ip_address, ray_id, client_secret_version, via_jwt, count";

AccessRequest read_row(const Statement& s) {
  AccessRequest r;
  r.id = s.int64(0);
  r.created_at = s.time(1);
  r.account_id = s.text(2);
  r.app_id = s.text(3);
  r.app_domain = s.text(4);
  r.service_token_id = s.text(5);
  r.service_token_name = s.text(6);
  r.client_id = s.text(7);
  r.allowed = s.int64(8) != 0;
  r.reason = s.text(9);
  r.ip_address = s.text(10);
  r.ray_id = s.text(11);
  r.client_secret_version = static_cast<int>(s.int64(12));
  r.via_jwt = s.int64(13) != 0;
  r.count = s.int64(14);
  return r;
}

// A WHERE clause built from the filters that are set, with its bindings in order.
struct Where {
  std::string sql;
  std::vector<std::variant<std::string, std::int64_t>> values;

  void clause(std::string_view c) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += c;
  }
  void add(std::string_view c, std::variant<std::string, std::int64_t> v) {
    clause(c);
    values.push_back(std::move(v));
  }
  void bind(Statement& s) const {
    int i = 0;
    for (const auto& v : values) {
      ++i;
      if (const auto* t = std::get_if<std::string>(&v)) s.bind(i, *t);
      else s.bind(i, std::get<std::int64_t>(v));
    }
  }
};

Where where_of(const AccessRequestQuery& q) {
  Where w;
  w.add("account_id = ?", q.account_id);
  if (q.since) w.add("created_at >= ?", to_micros(*q.since));
  if (q.until) w.add("created_at <= ?", to_micros(*q.until));
  if (q.token_name) w.add("service_token_name = ?", *q.token_name);
  if (q.token_id) w.add("service_token_id = ?", *q.token_id);
  if (q.client_id) w.add("client_id = ?", *q.client_id);
  if (!q.apps.empty()) {
    std::string any = "(?";
    for (std::size_t i = 1; i < q.apps.size(); ++i) any += ",?";
    any += ")";
    w.clause("(app_id IN " + any + " OR app_domain IN " + any + ")");
    for (int pass = 0; pass < 2; ++pass)
      for (const auto& a : q.apps) w.values.emplace_back(a);
  }
  if (q.allowed) w.add("allowed = ?", std::int64_t{*q.allowed ? 1 : 0});
  if (q.reason) w.add("reason = ?", *q.reason);
  if (q.ray_id) w.add("ray_id = ?", *q.ray_id);
  if (q.ip_address) w.add("ip_address = ?", *q.ip_address);
  return w;
}

Result<void> add_counter(sqlite3* db, const char* name, std::int64_t delta) {
  if (delta == 0) return {};
  Statement s(db,
              "INSERT INTO access_log_counters (name, value) VALUES (?1, ?2) "
              "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value");
  s.bind(1, name).bind(2, delta);
  if (s.step() != SQLITE_DONE) return db_error(db, "update access-log counters");
  return {};
}

Result<AccessLogCounters> read_counters(sqlite3* db) {
  AccessLogCounters c;
  Statement s(db, "SELECT name, value FROM access_log_counters");
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    const std::string name = s.text(0);
    if (name == "unknown_client_ids") c.unknown_client_ids = s.int64(1);
    else if (name == "dropped") c.dropped = s.int64(1);
    else if (name == "written") c.written = s.int64(1);
  }
  if (rc != SQLITE_DONE) return db_error(db, "read access-log counters");
  return c;
}

}  // namespace

Result<std::unique_ptr<SqliteAccessLogStore>> SqliteAccessLogStore::open(SqliteStore& core) {
  std::lock_guard lock(core.mutex());
  if (auto r = migrate_component(core.handle(), "access_log", kSteps); !r) return r.error();
  return std::unique_ptr<SqliteAccessLogStore>(new SqliteAccessLogStore(core));
}

Result<void> SqliteAccessLogStore::insert_access_requests(std::span<const AccessRequest> rows,
                                                          const AccessLogCounters& add) {
  if (rows.empty() && add.unknown_client_ids == 0 && add.dropped == 0) return {};
  std::lock_guard lock(core_.mutex());
  sqlite3* db = core_.handle();
  Transaction tx(db);
  if (auto r = tx.begin(); !r) return r.error();
  Statement s(db,
              "INSERT INTO access_requests (created_at, account_id, app_id, app_domain, service_token_id, "
              "service_token_name, client_id, allowed, reason, ip_address, ray_id, client_secret_version, via_jwt, count) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  std::int64_t decisions = 0;
  for (const auto& r : rows) {
    s.reset();
    s.bind(1, r.created_at).bind(2, r.account_id).bind(3, r.app_id).bind(4, r.app_domain);
    s.bind(5, r.service_token_id).bind(6, r.service_token_name).bind(7, r.client_id).bind(8, r.allowed);
    s.bind(9, r.reason).bind(10, r.ip_address).bind(11, r.ray_id).bind(12, r.client_secret_version);
    s.bind(13, r.via_jwt).bind(14, r.count);
    if (s.step() != SQLITE_DONE) return db_error(db, "write access log");
    decisions += r.count;
  }
  if (auto r = add_counter(db, "written", decisions); !r) return r.error();
  if (auto r = add_counter(db, "unknown_client_ids", add.unknown_client_ids); !r) return r.error();
  if (auto r = add_counter(db, "dropped", add.dropped); !r) return r.error();
  return tx.commit();
}

Result<PageOf<AccessRequest>> SqliteAccessLogStore::list_access_requests(const AccessRequestQuery& q) {
  std::lock_guard lock(core_.mutex());
  sqlite3* db = core_.handle();
  const Where w = where_of(q);
  PageOf<AccessRequest> out;
  {
    Statement c(db, "SELECT count(*) FROM access_requests" + w.sql);
    w.bind(c);
    if (c.step() != SQLITE_ROW) return db_error(db, "count access log");
    out.total_count = c.int64(0);
  }
  const char* order = q.ascending ? " ORDER BY created_at ASC, id ASC" : " ORDER BY created_at DESC, id DESC";
  const int n = static_cast<int>(w.values.size());
  Statement s(db, std::string("SELECT ") + kColumns + " FROM access_requests" + w.sql + order + " LIMIT ?" +
                      std::to_string(n + 1) + " OFFSET ?" + std::to_string(n + 2));
  w.bind(s);
  s.bind(n + 1, q.page.per_page);
  s.bind(n + 2, static_cast<std::int64_t>(q.page.page - 1) * q.page.per_page);
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.items.push_back(read_row(s));
  if (rc != SQLITE_DONE) return db_error(db, "read access log");
  return out;
}

Result<std::int64_t> SqliteAccessLogStore::prune_access_requests(Time cutoff, int limit) {
  std::lock_guard lock(core_.mutex());
  sqlite3* db = core_.handle();
  Statement s(db,
              "DELETE FROM access_requests WHERE id IN "
              "(SELECT id FROM access_requests WHERE created_at < ? ORDER BY created_at LIMIT ?)");
  s.bind(1, cutoff).bind(2, limit);
  if (s.step() != SQLITE_DONE) return db_error(db, "prune access log");
  return static_cast<std::int64_t>(sqlite3_changes(db));
}

Result<AccessLogCounters> SqliteAccessLogStore::access_log_counters() {
  std::lock_guard lock(core_.mutex());
  return read_counters(core_.handle());
}

Result<AccessLogCounters> read_access_log_counters(SqliteStore& core) {
  std::lock_guard lock(core.mutex());
  Statement exists(core.handle(), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'access_log_counters'");
  const int rc = exists.step();
  if (rc == SQLITE_DONE) return AccessLogCounters{};
  if (rc != SQLITE_ROW) return db_error(core.handle(), "read access-log counters");
  return read_counters(core.handle());
}

}  // namespace gatehouse
