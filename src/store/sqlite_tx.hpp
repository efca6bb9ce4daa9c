#pragma once
// The write path shared by every table of SqliteStore: each change with its audit
// event in one transaction (group-committed with concurrent changes). Internal to the store.
#include "core/account.hpp"
#include "store/sqlite_group_commit.hpp"
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

// Runs `body` and records the audit event in one transaction, shared with concurrent
// writers (store/sqlite_group_commit.hpp: one fsync for all, each in its own
// savepoint); returns once durable. `body` returns false to undo itself without error
// (nothing matched). Called WITHOUT the store mutex: the batch's leader takes it and
// runs `body` under it, on its own thread, while the caller waits.
template <class Body>
Result<bool> in_transaction(GroupCommit& group, const AuditEvent& event, Body&& body) {
  return group.write(event, WriteBody(body));
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
