// SqliteStore: organizations (one per account) and signing keys.
#include "store/sqlite_store.hpp"
#include "store/sqlite_tx.hpp"

namespace gatehouse {

using sqlite::db_error;
using sqlite::in_transaction;
using sqlite::Statement;

namespace {

constexpr const char* kOrgColumns =
    "account_id, name, auth_domain, session_duration, session_duration_ns, strict_service_token_auth, "
    "inactivity_enabled, inactivity_threshold_days, inactivity_action, key_rotation_interval_days, "
    "last_key_rotation_at, created_at, updated_at";

Organization read_org(const Statement& s) {
  Organization o;
  o.account_id = s.text(0);
  o.name = s.text(1);
  o.auth_domain = s.text(2);
  o.session_duration.text = s.text(3);
  o.session_duration.length.reset();
  if (!s.is_null(4)) o.session_duration.length = std::chrono::nanoseconds(s.int64(4));
  o.strict_service_token_auth = s.int64(5) != 0;
  o.service_token_inactivity.enabled = s.int64(6) != 0;
  o.service_token_inactivity.threshold_days = static_cast<int>(s.int64(7));
  o.service_token_inactivity.action = s.text(8);
  o.key_rotation_interval_days = static_cast<int>(s.int64(9));
  o.last_key_rotation_at = s.opt_time(10);
  o.created_at = s.time(11);
  o.updated_at = s.time(12);
  return o;
}

void bind_org(Statement& s, const Organization& o) {
  s.bind(1, o.account_id).bind(2, o.name).bind(3, o.auth_domain).bind(4, o.session_duration.text);
  if (o.session_duration.length) s.bind(5, static_cast<std::int64_t>(o.session_duration.length->count()));
  else s.bind_null(5);
  s.bind(6, o.strict_service_token_auth).bind(7, o.service_token_inactivity.enabled);
  s.bind(8, o.service_token_inactivity.threshold_days).bind(9, o.service_token_inactivity.action);
  s.bind(10, o.key_rotation_interval_days).bind(11, o.last_key_rotation_at).bind(12, o.created_at);
  s.bind(13, o.updated_at);
}

Result<std::vector<Organization>> read_orgs(sqlite3* db, Statement& s) {
  std::vector<Organization> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_org(s));
  if (rc != SQLITE_DONE) return db_error(db, "read organizations");
  return out;
}

constexpr const char* kKeyColumns =
    "kid, account_id, private_key_encrypted, public_key_pem, certificate_pem, created_at, retired_at";

Result<std::vector<StoredSigningKey>> read_keys(sqlite3* db, Statement& s) {
  std::vector<StoredSigningKey> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW)
    out.push_back(StoredSigningKey{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.time(5), s.opt_time(6)});
  if (rc != SQLITE_DONE) return db_error(db, "read signing keys");
  return out;
}

}  // namespace

// ---- organizations

Result<std::optional<Organization>> SqliteStore::find_organization(std::string_view account_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kOrgColumns + " FROM organizations WHERE account_id = ?");
  s.bind(1, account_id);
  auto all = read_orgs(db_, s);
  if (!all) return all.error();
  if (all->empty()) return std::optional<Organization>();
  return std::optional<Organization>(std::move(all->front()));
}

Result<bool> SqliteStore::insert_organization(const Organization& org, const AuditEvent& event) {
  return in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_, std::string("INSERT INTO organizations (") + kOrgColumns +
                         ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (account_id) DO NOTHING");
    bind_org(s, org);
    if (s.step() != SQLITE_DONE) return db_error(db_, "create organization");
    return sqlite3_changes(db_) == 1;
  });
}

Result<bool> SqliteStore::update_organization(const Organization& org, Time expected_updated_at,
                                              const AuditEvent& event) {
  return in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_,
                "UPDATE organizations SET name = ?2, auth_domain = ?3, session_duration = ?4, "
                "session_duration_ns = ?5, strict_service_token_auth = ?6, inactivity_enabled = ?7, "
                "inactivity_threshold_days = ?8, inactivity_action = ?9, key_rotation_interval_days = ?10, "
                "last_key_rotation_at = ?11, updated_at = ?13 "
                "WHERE account_id = ?1 AND created_at = ?12 AND updated_at = ?14");
    bind_org(s, org);
    s.bind(14, expected_updated_at);
    if (s.step() != SQLITE_DONE) return db_error(db_, "update organization");
    return sqlite3_changes(db_) == 1;
  });
}

Result<std::vector<Organization>> SqliteStore::list_organizations() {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kOrgColumns + " FROM organizations ORDER BY account_id");
  return read_orgs(db_, s);
}

// ---- signing keys

Result<void> SqliteStore::insert_signing_key(const StoredSigningKey& k, const AuditEvent& event) {
  auto r = in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_, std::string("INSERT INTO signing_keys (") + kKeyColumns + ") VALUES (?,?,?,?,?,?,?)");
    s.bind(1, k.kid).bind(2, k.account_id).bind(3, k.private_key_encrypted).bind(4, k.public_key_pem);
    s.bind(5, k.certificate_pem).bind(6, k.created_at).bind(7, k.retired_at);
    if (s.step() != SQLITE_DONE)
      return sqlite::write_error(db_, "store signing key", "signing_key_conflict",
                                 "a signing key with kid " + k.kid + " already exists");
    return true;
  });
  if (!r) return r.error();
  return {};
}

Result<std::vector<StoredSigningKey>> SqliteStore::list_signing_keys(std::string_view account_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kKeyColumns +
                       " FROM signing_keys WHERE account_id = ? ORDER BY created_at, kid");
  s.bind(1, account_id);
  return read_keys(db_, s);
}

Result<bool> SqliteStore::retire_signing_key(std::string_view account_id, std::string_view kid, Time when,
                                             const AuditEvent& event) {
  return in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_, "UPDATE signing_keys SET retired_at = ? WHERE account_id = ? AND kid = ? AND retired_at IS NULL");
    s.bind(1, when).bind(2, account_id).bind(3, kid);
    if (s.step() != SQLITE_DONE) return db_error(db_, "retire signing key");
    return sqlite3_changes(db_) == 1;
  });
}

Result<bool> SqliteStore::delete_signing_key(std::string_view account_id, std::string_view kid,
                                             const AuditEvent& event) {
  return in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_, "DELETE FROM signing_keys WHERE account_id = ? AND kid = ?");
    s.bind(1, account_id).bind(2, kid);
    if (s.step() != SQLITE_DONE) return db_error(db_, "delete signing key");
    return sqlite3_changes(db_) == 1;
  });
}

Result<std::vector<StoredSigningKey>> SqliteStore::list_all_signing_keys() {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kKeyColumns + " FROM signing_keys ORDER BY created_at, kid");
  return read_keys(db_, s);
}

}  // namespace gatehouse
