// SqliteStore::query_audit_events: the audit log with filters (GET …/audit_logs).
#include "store/sqlite_store.hpp"
#include "store/sqlite_util.hpp"

#include <variant>
#include <vector>

namespace gatehouse {

using sqlite::db_error;
using sqlite::Statement;

Result<PageOf<AuditEvent>> SqliteStore::query_audit_events(const AuditQuery& q) {
  std::string where = " WHERE account_id = ?";
  std::vector<std::variant<std::string, std::int64_t>> values{q.account_id};
  auto add = [&](const char* clause, std::variant<std::string, std::int64_t> v, int uses = 1) {
    where += " AND ";
    where += clause;
    for (int i = 0; i < uses; ++i) values.push_back(v);
  };
  if (q.action) add("action = ?", *q.action);
  if (q.resource_type) add("resource_type = ?", *q.resource_type);
  if (q.resource_id) add("resource_id = ?", *q.resource_id);
  if (q.resource_name) add("resource_name = ?", *q.resource_name);
  if (q.actor) add("(actor_id = ? OR actor_name = ?)", *q.actor, 2);
  if (q.since) add("at >= ?", to_micros(*q.since));
  if (q.until) add("at <= ?", to_micros(*q.until));
  auto bind = [&](Statement& s) {
    int i = 0;
    for (const auto& v : values) {
      ++i;
      if (const auto* t = std::get_if<std::string>(&v)) s.bind(i, *t);
      else s.bind(i, std::get<std::int64_t>(v));
    }
  };

  std::lock_guard lock(mutex_);
  PageOf<AuditEvent> out;
  {
    Statement c(db_, "SELECT count(*) FROM audit_events" + where);
    bind(c);
    if (c.step() != SQLITE_ROW) return db_error(db_, "count audit events");
    out.total_count = c.int64(0);
  }
  const int n = static_cast<int>(values.size());
  Statement s(db_, "SELECT id, account_id, at, actor_type, actor_id, actor_name, action, resource_type, resource_id, "
                   "resource_name, before_json, after_json, interface FROM audit_events" +
                       where + (q.ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC") + " LIMIT ?" +
                       std::to_string(n + 1) + " OFFSET ?" + std::to_string(n + 2));
  bind(s);
  s.bind(n + 1, q.page.per_page);
  s.bind(n + 2, static_cast<std::int64_t>(q.page.page - 1) * q.page.per_page);
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    AuditEvent e;
    e.id = s.text(0);
    e.account_id = s.text(1);
    e.when = s.time(2);
    e.actor = {s.text(3), s.text(4), s.text(5)};
    e.action = s.text(6);
    e.resource_type = s.text(7);
    e.resource_id = s.text(8);
    e.resource_name = s.text(9);
    e.before_json = s.text(10);
    e.after_json = s.text(11);
    e.interface = s.text(12);
    out.items.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return db_error(db_, "list audit events");
  return out;
}

}  // namespace gatehouse
