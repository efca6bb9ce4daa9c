#include "store/sqlite_token_usage.hpp"

#include "store/sqlite_util.hpp"

namespace gatehouse {

using sqlite::db_error;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr std::string_view kSteps[] = {
    // 1: per-version last use; rows go with their token.
    R"sql(
CREATE TABLE token_usage (
  token_id              TEXT NOT NULL REFERENCES service_tokens(id) ON DELETE CASCADE,
  client_secret_version INTEGER NOT NULL,
  last_seen_at          INTEGER NOT NULL,
  PRIMARY KEY (token_id, client_secret_version)
) WITHOUT ROWID;
)sql",
};

}  // namespace

std::span<const std::string_view> token_usage_migrations() { return kSteps; }

Result<void> record_token_usage(SqliteStore& store, std::span<const TokenUse> uses) {
  if (uses.empty()) return {};
  std::lock_guard lock(store.mutex());
  sqlite3* db = store.handle();
  Transaction tx(db);
  if (auto r = tx.begin(); !r) return r.error();
  Statement token(db,
                  "UPDATE service_tokens SET last_seen_at = ?2 "
                  "WHERE id = ?1 AND (last_seen_at IS NULL OR last_seen_at < ?2)");
  // INSERT … SELECT … WHERE: nothing for a token deleted since it was used (the
  // foreign key would refuse it and fail the whole batch).
  Statement version(db,
                    "INSERT INTO token_usage (token_id, client_secret_version, last_seen_at) "
                    "SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM service_tokens WHERE id = ?1) "
                    "ON CONFLICT (token_id, client_secret_version) "
                    "DO UPDATE SET last_seen_at = max(last_seen_at, excluded.last_seen_at)");
  for (const auto& u : uses) {
    token.reset().bind(1, u.token_id).bind(2, u.at);
    if (token.step() != SQLITE_DONE) return db_error(db, "record last seen");
    if (u.client_secret_version <= 0) continue;
    version.reset().bind(1, u.token_id).bind(2, u.client_secret_version).bind(3, u.at);
    if (version.step() != SQLITE_DONE) return db_error(db, "record secret last use");
  }
  return tx.commit();
}

namespace sqlite {

Result<void> load_token_usage(sqlite3* db, ServiceToken& t) {
  Statement s(db,
              "SELECT client_secret_version, last_seen_at FROM token_usage WHERE token_id = ? "
              "ORDER BY client_secret_version DESC");
  s.bind(1, t.id);
  t.secret_last_seen.clear();
  int rc;
  while ((rc = s.step()) == SQLITE_ROW)
    t.secret_last_seen.push_back({static_cast<int>(s.int64(0)), s.time(1)});
  if (rc != SQLITE_DONE) return db_error(db, "read secret last use");
  return {};
}

}  // namespace sqlite

}  // namespace gatehouse
