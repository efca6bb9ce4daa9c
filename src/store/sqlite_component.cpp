#include "store/sqlite_component.hpp"

#include "store/sqlite_util.hpp"

namespace gatehouse {

using sqlite::db_error;
using sqlite::exec;
using sqlite::Statement;
using sqlite::Transaction;

Result<void> migrate_component(sqlite3* db, std::string_view component, std::span<const std::string_view> steps,
                               const MigrationHook& after_step) {
  if (auto r = exec(db,
                    "CREATE TABLE IF NOT EXISTS component_migrations (component TEXT PRIMARY KEY, version INTEGER NOT NULL)",
                    "create component_migrations");
      !r)
    return r.error();
  auto version = [&]() -> Result<int> {
    Statement s(db, "SELECT version FROM component_migrations WHERE component = ?");
    s.bind(1, component);
    const int rc = s.step();
    if (rc == SQLITE_ROW) return static_cast<int>(s.int64(0));
    if (rc != SQLITE_DONE) return db_error(db, "read component version");
    return 0;
  };
  auto have = version();
  if (!have) return have.error();
  if (*have > static_cast<int>(steps.size()))
    return internal_error("store_too_new", "the database's " + std::string(component) + " tables are at version " +
                                               std::to_string(*have) + ", newer than this Gatehouse knows (" +
                                               std::to_string(steps.size()) + "); upgrade Gatehouse");
  for (int v = *have + 1; v <= static_cast<int>(steps.size()); ++v) {
    Transaction tx(db);
    if (auto r = tx.begin(); !r) return r.error();
    auto now = version();  // another process may have migrated while we waited
    if (!now) return now.error();
    if (*now >= v) continue;
    const std::string what = std::string(component) + " migration " + std::to_string(v);
    if (auto r = exec(db, std::string(steps[static_cast<std::size_t>(v - 1)]).c_str(), what); !r) return r.error();
    if (after_step)
      if (auto r = after_step(db, v); !r) return r.error();
    Statement s(db, "INSERT INTO component_migrations (component, version) VALUES (?, ?) "
                    "ON CONFLICT(component) DO UPDATE SET version = excluded.version");
    s.bind(1, component).bind(2, v);
    if (s.step() != SQLITE_DONE) return db_error(db, what);
    if (auto r = tx.commit(); !r) return r.error();
  }
  return {};
}

}  // namespace gatehouse
