// SqliteStore: Access applications and policies (the Store invariants of store.hpp).
#include "store/sqlite_access.hpp"
#include "store/sqlite_store.hpp"
#include "store/sqlite_tx.hpp"

namespace gatehouse {

using sqlite::db_error;
using sqlite::in_transaction;
using sqlite::kAppColumns;
using sqlite::kPolicyColumns;
using sqlite::Statement;

namespace {

std::string escape_like(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

Result<void> insert_policies(sqlite3* db, std::span<const Policy> policies) {
  for (const auto& p : policies)
    if (auto r = sqlite::insert_policy_rows(db, p); !r) return r.error();
  return {};
}

template <class T>
Result<std::optional<T>> first(Result<std::vector<T>> all) {
  if (!all) return all.error();
  if (all->empty()) return std::optional<T>();
  return std::optional<T>(std::move(all->front()));
}

}  // namespace

// ---- apps

Result<void> SqliteStore::insert_app(const App& app, std::span<const Policy> new_app_policies,
                                     const AuditEvent& event) {
  auto r = in_transaction(*group_, event, [&]() -> Result<bool> {
    // The app row first (app-scoped policies reference it), then its policies, then
    // the destinations and links (which reference the policies).
    if (auto a = sqlite::insert_app_row(db_, app); !a) return a.error();
    if (auto p = insert_policies(db_, new_app_policies); !p) return p.error();
    if (auto c = sqlite::insert_app_children(db_, app); !c) return c.error();
    return true;
  });
  if (!r) return r.error();
  return {};
}

Result<bool> SqliteStore::update_app(const App& app, Time expected_updated_at, std::span<const Policy> new_app_policies,
                                     const AuditEvent& event) {
  return in_transaction(*group_, event, [&]() -> Result<bool> {
    if (auto p = insert_policies(db_, new_app_policies); !p) return p.error();
    auto replaced = sqlite::replace_app_rows(db_, app, expected_updated_at);
    if (!replaced || !*replaced) return replaced;
    if (auto d = sqlite::delete_unlinked_app_policies(db_, app.id); !d) return d.error();
    return true;
  });
}

Result<bool> SqliteStore::delete_app(std::string_view account_id, std::string_view id, const AuditEvent& event) {
  return in_transaction(*group_, event, [&]() -> Result<bool> {
    Statement s(db_, "DELETE FROM apps WHERE account_id = ? AND id = ?");
    s.bind(1, account_id).bind(2, id);
    if (s.step() != SQLITE_DONE) return db_error(db_, "delete app");
    // Links, destinations and app-scoped policies go with it (ON DELETE CASCADE).
    return sqlite3_changes(db_) == 1;
  });
}

Result<std::optional<App>> SqliteStore::find_app(std::string_view account_id, std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kAppColumns + " FROM apps WHERE account_id = ? AND id = ?");
  s.bind(1, account_id).bind(2, id);
  return first(sqlite::read_apps(db_, s));
}

Result<PageOf<App>> SqliteStore::list_apps(const AppQuery& q) {
  std::lock_guard lock(mutex_);
  std::string where = " WHERE account_id = ?1";
  if (q.name) where += " AND name = ?2";
  if (q.domain) where += " AND domain = ?3";
  if (q.aud) where += " AND aud = ?4";
  if (q.search) where += " AND (name LIKE ?5 ESCAPE '\\' OR domain LIKE ?5 ESCAPE '\\')";
  auto bind_filters = [&](Statement& s) {
    s.bind(1, q.account_id);
    if (q.name) s.bind(2, *q.name);
    if (q.domain) s.bind(3, *q.domain);
    if (q.aud) s.bind(4, *q.aud);
    if (q.search) s.bind(5, "%" + escape_like(*q.search) + "%");
  };
  PageOf<App> out;
  {
    Statement c(db_, "SELECT count(*) FROM apps" + where);
    bind_filters(c);
    if (c.step() != SQLITE_ROW) return db_error(db_, "count apps");
    out.total_count = c.int64(0);
  }
  Statement s(db_, std::string("SELECT ") + kAppColumns + " FROM apps" + where +
                       " ORDER BY created_at, id LIMIT ?6 OFFSET ?7");
  bind_filters(s);
  s.bind(6, q.page.per_page);
  s.bind(7, static_cast<std::int64_t>(q.page.page - 1) * q.page.per_page);
  auto apps = sqlite::read_apps(db_, s);
  if (!apps) return apps.error();
  out.items = std::move(*apps);
  return out;
}

Result<std::vector<App>> SqliteStore::list_all_apps() {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kAppColumns + " FROM apps ORDER BY created_at, id");
  return sqlite::read_apps(db_, s);
}

// ---- policies

namespace {

// Moves an app-scoped policy's link to `precedence` (or creates it).
Result<void> link_app_policy(sqlite3* db, const Policy& p) {
  Statement s(db,
              "INSERT INTO app_policies (app_id, policy_id, precedence) VALUES (?,?,?) "
              "ON CONFLICT (app_id, policy_id) DO UPDATE SET precedence = excluded.precedence");
  s.bind(1, p.app_id).bind(2, p.id).bind(3, p.precedence);
  if (s.step() != SQLITE_DONE)
    return sqlite::write_error(db, "link policy", "precedence_in_use",
                               "precedence " + std::to_string(p.precedence) + " is already used on this app");
  return {};
}

}  // namespace

Result<void> SqliteStore::insert_policy(const Policy& policy, const AuditEvent& event) {
  auto r = in_transaction(*group_, event, [&]() -> Result<bool> {
    if (auto p = sqlite::insert_policy_rows(db_, policy); !p) return p.error();
    if (!policy.app_id.empty())
      if (auto l = link_app_policy(db_, policy); !l) return l.error();
    return true;
  });
  if (!r) return r.error();
  return {};
}

Result<bool> SqliteStore::update_policy(const Policy& policy, Time expected_updated_at, const AuditEvent& event) {
  return in_transaction(*group_, event, [&]() -> Result<bool> {
    // Updated in place (not deleted and re-inserted): the links of a reusable policy
    // reference the row.
    Statement s(db_,
                "UPDATE policies SET name = ?, decision = ?, precedence = ?, session_duration = ?, "
                "session_duration_ns = ?, updated_at = ? "
                "WHERE account_id = ? AND id = ? AND coalesce(app_id, '') = ? AND created_at = ? AND updated_at = ?");
    s.bind(1, policy.name).bind(2, to_string(policy.decision)).bind(3, policy.precedence);
    if (policy.session_duration) {
      s.bind(4, policy.session_duration->text);
      if (policy.session_duration->length) s.bind(5, static_cast<std::int64_t>(policy.session_duration->length->count()));
      else s.bind_null(5);
    } else {
      s.bind_null(4).bind_null(5);
    }
    s.bind(6, policy.updated_at).bind(7, policy.account_id).bind(8, policy.id).bind(9, policy.app_id);
    s.bind(10, policy.created_at).bind(11, expected_updated_at);
    if (s.step() != SQLITE_DONE) return db_error(db_, "update policy");
    if (sqlite3_changes(db_) != 1) return false;
    Statement del(db_, "DELETE FROM policy_rules WHERE policy_id = ?");
    del.bind(1, policy.id);
    if (del.step() != SQLITE_DONE) return db_error(db_, "update policy rules");
    if (auto r = sqlite::insert_policy_rules(db_, policy); !r) return r.error();
    if (!policy.app_id.empty())
      if (auto l = link_app_policy(db_, policy); !l) return l.error();
    return true;
  });
}

Result<bool> SqliteStore::delete_policy(std::string_view account_id, std::string_view id, const AuditEvent& event) {
  return in_transaction(*group_, event, [&]() -> Result<bool> {
    // An app-scoped policy's own link goes with it; a reusable policy's links stay and
    // make the DELETE fail (the reference check), so it is never deleted while used.
    Statement unlink(db_,
                     "DELETE FROM app_policies WHERE policy_id = ?2 AND app_id = "
                     "(SELECT app_id FROM policies WHERE account_id = ?1 AND id = ?2)");
    unlink.bind(1, account_id).bind(2, id);
    if (unlink.step() != SQLITE_DONE) return db_error(db_, "delete policy");
    Statement s(db_, "DELETE FROM policies WHERE account_id = ? AND id = ?");
    s.bind(1, account_id).bind(2, id);
    if (s.step() != SQLITE_DONE)
      return sqlite::write_error(db_, "delete policy", "policy_in_use",
                                 "the policy is still used by an application; remove it from the application first");
    return sqlite3_changes(db_) == 1;
  });
}

Result<std::optional<Policy>> SqliteStore::find_policy(std::string_view account_id, std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kPolicyColumns + " FROM policies WHERE account_id = ? AND id = ?");
  s.bind(1, account_id).bind(2, id);
  return first(sqlite::read_policies(db_, s));
}

Result<PageOf<Policy>> SqliteStore::list_policies(const PolicyQuery& q) {
  std::lock_guard lock(mutex_);
  const std::string where = " WHERE account_id = ?1 AND coalesce(app_id, '') = ?2";
  PageOf<Policy> out;
  {
    Statement c(db_, "SELECT count(*) FROM policies" + where);
    c.bind(1, q.account_id).bind(2, q.app_id);
    if (c.step() != SQLITE_ROW) return db_error(db_, "count policies");
    out.total_count = c.int64(0);
  }
  Statement s(db_, std::string("SELECT ") + kPolicyColumns + " FROM policies" + where +
                       " ORDER BY created_at, id LIMIT ?3 OFFSET ?4");
  s.bind(1, q.account_id).bind(2, q.app_id).bind(3, q.page.per_page);
  s.bind(4, static_cast<std::int64_t>(q.page.page - 1) * q.page.per_page);
  auto policies = sqlite::read_policies(db_, s);
  if (!policies) return policies.error();
  out.items = std::move(*policies);
  return out;
}

Result<std::vector<AppRef>> SqliteStore::apps_linking_policy(std::string_view account_id,
                                                             std::string_view policy_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT apps.id, apps.name FROM app_policies JOIN apps ON apps.id = app_policies.app_id "
              "WHERE apps.account_id = ? AND app_policies.policy_id = ? ORDER BY apps.created_at, apps.id");
  s.bind(1, account_id).bind(2, policy_id);
  std::vector<AppRef> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back({s.text(0), s.text(1)});
  if (rc != SQLITE_DONE) return db_error(db_, "list apps using a policy");
  return out;
}

Result<std::vector<Policy>> SqliteStore::list_all_policies() {
  std::lock_guard lock(mutex_);
  Statement s(db_, std::string("SELECT ") + kPolicyColumns + " FROM policies ORDER BY created_at, id");
  return sqlite::read_policies(db_, s);
}

}  // namespace gatehouse
