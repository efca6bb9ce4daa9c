#pragma once
// RAII and binding helpers over the SQLite C API, for the store's implementation only.
#include "core/error.hpp"
#include "core/time.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::sqlite {

inline Error db_error(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  const int primary = code & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return Error{503, "store_busy", "the database is busy (" + std::string(what) + "); retry"};
  return internal_error("store_failure",
                        "database error during " + std::string(what) + ": " + sqlite3_errmsg(db));
}

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return rc_ == SQLITE_OK && stmt_ != nullptr; }

  Statement& bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement& bind(int i, bool v) { return bind(i, static_cast<std::int64_t>(v ? 1 : 0)); }
  Statement& bind(int i, Time t) { return bind(i, to_micros(t)); }
  Statement& bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  template <class T>
  Statement& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }

  // Makes the statement runnable again with new bindings (for per-row sub-queries).
  Statement& reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return *this;
  }

  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int step() { return prepared() ? sqlite3_step(stmt_) : rc_; }

  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  Time time(int col) const { return from_micros(int64(col)); }
  std::optional<Time> opt_time(int col) const {
    return is_null(col) ? std::nullopt : std::optional<Time>(time(col));
  }
  std::optional<std::string> opt_text(int col) const {
    return is_null(col) ? std::nullopt : std::optional<std::string>(text(col));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

// Runs statements that return no rows (DDL, PRAGMA, BEGIN/COMMIT).
inline Result<void> exec(sqlite3* db, const char* sql, std::string_view what) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    Error e = db_error(db, what);
    sqlite3_free(msg);
    return e;
  }
  return {};
}

// BEGIN IMMEDIATE … COMMIT, rolled back unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (begun_ && !done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Result<void> begin() {
    auto r = exec(db_, "BEGIN IMMEDIATE", "begin transaction");
    begun_ = r.has_value();
    return r;
  }
  Result<void> commit() {
    auto r = exec(db_, "COMMIT", "commit");
    done_ = r.has_value();
    return r;
  }

 private:
  sqlite3* db_;
  bool begun_ = false;
  bool done_ = false;
};

}  // namespace gatehouse::sqlite
