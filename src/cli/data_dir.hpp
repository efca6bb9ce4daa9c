#pragma once
// The data dir: gatehouse.db (SQLite) and serve.json (what a running server bound,
// for `gatehouse status`).
#include "store/sqlite_store.hpp"

#include <memory>
#include <string>

namespace gatehouse::cli {

std::string database_path(const std::string& data_dir);
std::string runtime_path(const std::string& data_dir);

// For serve: creates the directory (0700) and the database when absent.
std::unique_ptr<SqliteStore> open_or_create(const std::string& data_dir);
// For CLI commands: the data dir must already hold a database.
std::unique_ptr<SqliteStore> open_existing(const std::string& data_dir);

}  // namespace gatehouse::cli
