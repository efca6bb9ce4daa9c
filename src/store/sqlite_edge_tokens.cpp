// SqliteStore::scan_edge_tokens: the edge snapshot's read of every service token.
// Start-up with a million tokens is dominated by this read, so it is one lean query:
// only the columns the edge decides with, no ORDER BY (a sort of every row that the
// edge does not need), no per-token usage join, and the text handed out as views into
// SQLite's row instead of a std::string per column.
#include "store/sqlite_store.hpp"
#include "store/sqlite_util.hpp"

namespace gatehouse {

namespace {

std::string_view text_view(sqlite3_stmt* s, int col) {
  const auto* p = sqlite3_column_text(s, col);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, col))};
}

std::optional<Time> opt_time(sqlite3_stmt* s, int col) {
  if (sqlite3_column_type(s, col) == SQLITE_NULL) return std::nullopt;
  return from_micros(sqlite3_column_int64(s, col));
}

// sqlite3_stmt owned for the scan (sqlite::Statement hides the handle it would need).
struct StatementHandle {
  sqlite3_stmt* stmt = nullptr;
  ~StatementHandle() { sqlite3_finalize(stmt); }
};

}  // namespace

Result<void> SqliteStore::scan_edge_tokens(EdgeTokenVisitor& visitor) {
  std::lock_guard lock(mutex_);
  {
    // The capacity hint: counting walks the smallest index, far cheaper than growing
    // the index's arrays (and copying them) as rows arrive.
    sqlite::Statement count(db_, "SELECT count(*) FROM service_tokens");
    if (count.step() != SQLITE_ROW) return sqlite::db_error(db_, "count service tokens");
    visitor.expect(static_cast<std::size_t>(count.int64(0)));
  }
  constexpr std::string_view sql =
      "SELECT id, account_id, name, client_id, secret_hash, previous_secret_hash, "
      "previous_client_secret_expires_at, expires_at, client_secret_version, enabled FROM service_tokens";
  StatementHandle h;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &h.stmt, nullptr) != SQLITE_OK)
    return sqlite::db_error(db_, "scan service tokens");
  sqlite3_stmt* s = h.stmt;
  EdgeTokenRow row;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    row.id = text_view(s, 0);
    row.account_id = text_view(s, 1);
    row.name = text_view(s, 2);
    row.client_id = text_view(s, 3);
    row.secret_hash = text_view(s, 4);
    row.previous_secret_hash = text_view(s, 5);
    row.previous_client_secret_expires_at = opt_time(s, 6);
    row.expires_at = opt_time(s, 7);
    row.client_secret_version = static_cast<int>(sqlite3_column_int64(s, 8));
    row.enabled = sqlite3_column_int64(s, 9) != 0;
    visitor.row(row);
  }
  if (rc != SQLITE_DONE) return sqlite::db_error(db_, "scan service tokens");
  return {};
}

}  // namespace gatehouse
