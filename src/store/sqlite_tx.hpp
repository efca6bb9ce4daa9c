#pragma once
// The write path shared by every table of SqliteStore: one BEGIN IMMEDIATE … COMMIT
// per change, with its audit event in the same transaction. Internal to the store.
#include "core/account.hpp"
#include "store/sqlite_util.hpp"

namespace gatehouse::sqlite {

inline Result<void> insert_audit(sqlite3* db, const AuditEvent& e) {
  Statement s(db,
              "INSERT INTO audit_events (id, account_id, at, actor_type, actor_id, actor_name, action, "
              "resource_type, resource_id, resource_name, before_json, after_json, interface) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, e.id).bind(2, e.account_id).bind(3, e.when).bind(4, e.actor.type).bind(5, e.actor.id);
  s.bind(6, e.actor.name).bind(7, e.action).bind(8, e.resource_type).bind(9, e.resource_id);
  s.bind(10, e.resource_name).bind(11, e.before_json).bind(12, e.after_json).bind(13, e.interface);
  if (s.step() != SQLITE_DONE) return db_error(db, "write audit event");
  return {};
}

// Runs `body` inside BEGIN IMMEDIATE … COMMIT with the audit event; `body` returns
// false to roll back without error (nothing matched).
template <class Body>
Result<bool> in_transaction(sqlite3* db, const AuditEvent& event, Body&& body) {
  Transaction tx(db);
  if (auto r = tx.begin(); !r) return r.error();
  Result<bool> applied = body();
  if (!applied) return applied.error();
  if (!*applied) return false;
  if (auto r = insert_audit(db, event); !r) return r.error();
  if (auto r = tx.commit(); !r) return r.error();
  return true;
}

// A failed write: a constraint violation (a uniqueness or reference another writer
// created between the caller's checks and this write) is a 409 with `conflict`;
// anything else is db_error().
inline Error write_error(sqlite3* db, std::string_view what, std::string_view conflict_slug,
                         std::string_view conflict_message) {
  if ((sqlite3_extended_errcode(db) & 0xFF) == SQLITE_CONSTRAINT)
    return conflict(std::string(conflict_slug), std::string(conflict_message));
  return db_error(db, what);
}

}  // namespace gatehouse::sqlite
