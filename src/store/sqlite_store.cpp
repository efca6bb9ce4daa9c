#include "store/sqlite_store.hpp"

#include "store/migrations.hpp"
#include "store/sqlite_component.hpp"
#include "store/sqlite_token_usage.hpp"
#include "store/sqlite_tx.hpp"

namespace gatehouse {

using sqlite::db_error;
using sqlite::exec;
using sqlite::in_transaction;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr const char* kTokenColumns =
    "id, account_id, name, client_id, duration, duration_ns, enabled, expires_at, created_at, updated_at, "
    "last_seen_at, secret_hash, client_secret_version, previous_secret_hash, "
    "previous_client_secret_expires_at, revision";

ServiceToken read_token(const Statement& s) {
  ServiceToken t;
  t.id = s.text(0);
  t.account_id = s.text(1);
  t.name = s.text(2);
  t.client_id = s.text(3);
  t.duration.text = s.text(4);
  if (!s.is_null(5)) t.duration.length = std::chrono::nanoseconds(s.int64(5));
  t.enabled = s.int64(6) != 0;
  t.expires_at = s.opt_time(7);
  t.created_at = s.time(8);
  t.updated_at = s.time(9);
  t.last_seen_at = s.opt_time(10);
  t.secret_hash = s.text(11);
  t.client_secret_version = static_cast<int>(s.int64(12));
  t.previous_secret_hash = s.opt_text(13);
  t.previous_client_secret_expires_at = s.opt_time(14);
  t.revision = s.int64(15);
  return t;
}

constexpr const char* kApiTokenColumns =
    "id, account_id, name, scope, token_hash, created_at, expires_at, revoked_at";

ApiToken read_api_token(const Statement& s) {
  ApiToken t;
  t.id = s.text(0);
  t.account_id = s.text(1);
  t.name = s.text(2);
  t.scope = parse_scope(s.text(3)).value_or(Scope::read);
  t.token_hash = s.text(4);
  t.created_at = s.time(5);
  t.expires_at = s.opt_time(6);
  t.revoked_at = s.opt_time(7);
  return t;
}

void bind_token(Statement& s, const ServiceToken& t) {
  s.bind(1, t.id).bind(2, t.account_id).bind(3, t.name).bind(4, t.client_id).bind(5, t.duration.text);
  if (t.duration.length) s.bind(6, static_cast<std::int64_t>(t.duration.length->count()));
  else s.bind_null(6);
  s.bind(7, t.enabled).bind(8, t.expires_at).bind(9, t.created_at).bind(10, t.updated_at);
  s.bind(11, t.last_seen_at).bind(12, t.secret_hash).bind(13, t.client_secret_version);
  s.bind(14, t.previous_secret_hash).bind(15, t.previous_client_secret_expires_at).bind(16, t.revision);
}

// The token with its per-version last use (the snapshot loader does without).
Result<std::optional<ServiceToken>> with_usage(sqlite3* db, ServiceToken t) {
  if (auto r = sqlite::load_token_usage(db, t); !r) return r.error();
  return std::optional<ServiceToken>(std::move(t));
}

std::string escape_like(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return internal_error("store_open_failed", "cannot open database " + path + ": " + msg);
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db));
  sqlite3_busy_timeout(db, 10'000);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    Statement s(db, pragma);
    const int step = s.step();
    if (step != SQLITE_ROW && step != SQLITE_DONE) return db_error(db, pragma);
  }
  const auto migrations = sqlite_migrations();
  const int have = store->schema_version();
  if (have > static_cast<int>(migrations.size()))
    return internal_error("store_too_new", "database " + path + " has schema version " + std::to_string(have) +
                                               ", newer than this Gatehouse knows (" +
                                               std::to_string(migrations.size()) + "); upgrade Gatehouse");
  for (int v = have + 1; v <= static_cast<int>(migrations.size()); ++v) {
    Transaction tx(db);
    if (auto r = tx.begin(); !r) return r.error();
    // A second process may have migrated while we waited for the write lock.
    if (store->schema_version() >= v) continue;
    const std::string sql = std::string(migrations[static_cast<std::size_t>(v - 1)]) +
                            "\nPRAGMA user_version = " + std::to_string(v) + ";";
    if (auto r = exec(db, sql.c_str(), "migration " + std::to_string(v)); !r) return r.error();
    if (auto r = tx.commit(); !r) return r.error();
  }
  // Every token read joins token_usage (last use per secret version).
  if (auto r = migrate_component(db, "token_usage", token_usage_migrations()); !r) return r.error();
  return store;
}

SqliteStore::SqliteStore(sqlite3* db) : db_(db), group_(std::make_unique<sqlite::GroupCommit>(db, mutex_)) {}

SqliteStore::~SqliteStore() { sqlite3_close_v2(db_); }

int SqliteStore::schema_version() {
  Statement s(db_, "PRAGMA user_version");
  return s.step() == SQLITE_ROW ? static_cast<int>(s.int64(0)) : 0;
}

// ---- accounts

Result<std::vector<Account>> SqliteStore::list_accounts() {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT id, name, created_at FROM accounts ORDER BY created_at, id");
  std::vector<Account> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back({s.text(0), s.text(1), s.time(2)});
  if (rc != SQLITE_DONE) return db_error(db_, "list accounts");
  return out;
}

Result<std::optional<Account>> SqliteStore::find_account(std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT id, name, created_at FROM accounts WHERE id = ?");
  s.bind(1, id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<Account>(Account{s.text(0), s.text(1), s.time(2)});
  if (rc != SQLITE_DONE) return db_error(db_, "find account");
  return std::optional<Account>();
}

Result<void> SqliteStore::create_account(const Account& a, const AuditEvent& event) {
  auto r = in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_, "INSERT INTO accounts (id, name, created_at) VALUES (?,?,?)");
    s.bind(1, a.id).bind(2, a.name).bind(3, a.created_at);
    if (s.step() != SQLITE_DONE) return db_error(db_, "create account");
    return true;
  });
  if (!r) return r.error();
  return {};
}

// ---- API tokens

Result<void> SqliteStore::create_api_token(const ApiToken& t, const AuditEvent& event) {
  auto r = in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_, std::string("INSERT INTO api_tokens (") + kApiTokenColumns + ") VALUES (?,?,?,?,?,?,?,?)");
    s.bind(1, t.id).bind(2, t.account_id).bind(3, t.name).bind(4, to_string(t.scope)).bind(5, t.token_hash);
    s.bind(6, t.created_at).bind(7, t.expires_at).bind(8, t.revoked_at);
    if (s.step() != SQLITE_DONE) return db_error(db_, "create API token");
    return true;
  });
  if (!r) return r.error();
  return {};
}

Result<std::optional<ApiToken>> SqliteStore::find_api_token_by_hash(std::string_view token_hash) {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kApiTokenColumns + " FROM api_tokens WHERE token_hash = ?");
  s.bind(1, token_hash);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<ApiToken>(read_api_token(s));
  if (rc != SQLITE_DONE) return db_error(db_, "find API token");
  return std::optional<ApiToken>();
}

Result<std::optional<ApiToken>> SqliteStore::find_api_token(std::string_view account_id, std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kApiTokenColumns + " FROM api_tokens WHERE account_id = ? AND id = ?");
  s.bind(1, account_id).bind(2, id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<ApiToken>(read_api_token(s));
  if (rc != SQLITE_DONE) return db_error(db_, "find API token");
  return std::optional<ApiToken>();
}

Result<std::vector<ApiToken>> SqliteStore::list_api_tokens(std::string_view account_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kApiTokenColumns +
                       " FROM api_tokens WHERE account_id = ? ORDER BY created_at, id");
  s.bind(1, account_id);
  std::vector<ApiToken> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_api_token(s));
  if (rc != SQLITE_DONE) return db_error(db_, "list API tokens");
  return out;
}

Result<bool> SqliteStore::revoke_api_token(std::string_view account_id, std::string_view id, Time when,
                                           const AuditEvent& event) {
  return in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_, "UPDATE api_tokens SET revoked_at = ? WHERE account_id = ? AND id = ? AND revoked_at IS NULL");
    s.bind(1, when).bind(2, account_id).bind(3, id);
    if (s.step() != SQLITE_DONE) return db_error(db_, "revoke API token");
    return sqlite3_changes(db_) == 1;
  });
}

// ---- service tokens

Result<void> SqliteStore::insert_service_token(const ServiceToken& t, const AuditEvent& event) {
  auto r = in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_, std::string("INSERT INTO service_tokens (") + kTokenColumns +
                         ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bind_token(s, t);
    if (s.step() != SQLITE_DONE) return db_error(db_, "create service token");
    return true;
  });
  if (!r) return r.error();
  return {};
}

Result<bool> SqliteStore::update_service_token(const ServiceToken& t, const AuditEvent& event) {
  return in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_,
                "UPDATE service_tokens SET name = ?3, duration = ?5, duration_ns = ?6, enabled = ?7, "
                "expires_at = ?8, updated_at = ?10, "
                // Never backwards: the last-seen flusher may have written a newer value
                // since this token was read (store/sqlite_token_usage.hpp).
                "last_seen_at = max(coalesce(last_seen_at, ?11), coalesce(?11, last_seen_at)), "
                "secret_hash = ?12, client_secret_version = ?13, previous_secret_hash = ?14, "
                "previous_client_secret_expires_at = ?15, revision = ?16 "
                "WHERE id = ?1 AND account_id = ?2 AND client_id = ?4 AND created_at = ?9 AND revision = ?16 - 1");
    bind_token(s, t);
    if (s.step() != SQLITE_DONE) return db_error(db_, "update service token");
    return sqlite3_changes(db_) == 1;
  });
}

Result<bool> SqliteStore::delete_service_token(std::string_view account_id, std::string_view id,
                                               const AuditEvent& event) {
  return in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_, "DELETE FROM service_tokens WHERE account_id = ? AND id = ?");
    s.bind(1, account_id).bind(2, id);
    if (s.step() != SQLITE_DONE) return db_error(db_, "delete service token");
    return sqlite3_changes(db_) == 1;
  });
}

Result<std::optional<ServiceToken>> SqliteStore::find_service_token(std::string_view account_id,
                                                                    std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kTokenColumns + " FROM service_tokens WHERE account_id = ? AND id = ?");
  s.bind(1, account_id).bind(2, id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return with_usage(db_, read_token(s));
  if (rc != SQLITE_DONE) return db_error(db_, "find service token");
  return std::optional<ServiceToken>();
}

Result<std::optional<ServiceToken>> SqliteStore::find_service_token_by_client_id(std::string_view client_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kTokenColumns + " FROM service_tokens WHERE client_id = ?");
  s.bind(1, client_id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return with_usage(db_, read_token(s));
  if (rc != SQLITE_DONE) return db_error(db_, "find service token");
  return std::optional<ServiceToken>();
}

Result<PageOf<ServiceToken>> SqliteStore::list_service_tokens(const ServiceTokenQuery& q) {
  std::lock_guard lock(mutex_);
  std::string where = " WHERE account_id = ?1";
  if (q.name) where += " AND name = ?2";
  if (q.search) where += " AND (name LIKE ?3 ESCAPE '\\' OR client_id LIKE ?3 ESCAPE '\\')";
  auto bind_filters = [&](Statement& s) {
    s.bind(1, q.account_id);
    if (q.name) s.bind(2, *q.name);
    if (q.search) s.bind(3, "%" + escape_like(*q.search) + "%");
  };
  PageOf<ServiceToken> out;
  {
    Statement c(db_, "SELECT count(*) FROM service_tokens" + where);
    bind_filters(c);
    if (c.step() != SQLITE_ROW) return db_error(db_, "count service tokens");
    out.total_count = c.int64(0);
  }
  Statement s(db_, std::string("SELECT ") + kTokenColumns + " FROM service_tokens" + where +
                       " ORDER BY created_at, id LIMIT ?4 OFFSET ?5");
  bind_filters(s);
  s.bind(4, q.page.per_page);
  s.bind(5, static_cast<std::int64_t>(q.page.page - 1) * q.page.per_page);
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.items.push_back(read_token(s));
  if (rc != SQLITE_DONE) return db_error(db_, "list service tokens");
  for (auto& t : out.items)
    if (auto r = sqlite::load_token_usage(db_, t); !r) return r.error();
  return out;
}

Result<std::int64_t> SqliteStore::count_service_tokens(std::string_view account_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT count(*) FROM service_tokens WHERE account_id = ?");
  s.bind(1, account_id);
  if (s.step() != SQLITE_ROW) return db_error(db_, "count service tokens");
  return s.int64(0);
}

Result<std::vector<ServiceToken>> SqliteStore::list_all_service_tokens() {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kTokenColumns + " FROM service_tokens ORDER BY created_at, id");
  std::vector<ServiceToken> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_token(s));
  if (rc != SQLITE_DONE) return db_error(db_, "list all service tokens");
  return out;
}

// ---- audit log

Result<PageOf<AuditEvent>> SqliteStore::list_audit_events(std::string_view account_id, PageRequest page) {
  // The unfiltered log is the filtered query with no filters: one SQL, one row reader.
  AuditQuery q;
  q.account_id = std::string(account_id);
  q.page = page;
  return query_audit_events(q);
}

}  // namespace gatehouse
