#pragma once
// Row mapping for the Access tables (apps, their destinations and policy links,
// policies and their rules). Internal to SqliteStore; callers hold its mutex and,
// for writes, an open transaction.
#include "core/app.hpp"
#include "core/policy.hpp"
#include "store/sqlite_util.hpp"

#include <vector>

namespace gatehouse::sqlite {

extern const char* const kAppColumns;     // SELECT list read by read_apps
extern const char* const kPolicyColumns;  // SELECT list read by read_policies

// Steps `s` (a SELECT of kAppColumns) to the end and loads each app's destinations
// and links.
Result<std::vector<App>> read_apps(sqlite3* db, Statement& s);
// Steps `s` (a SELECT of kPolicyColumns) to the end and loads each policy's rules.
Result<std::vector<Policy>> read_policies(sqlite3* db, Statement& s);

// The app row alone.
Result<void> insert_app_row(sqlite3* db, const App& app);
// The app's destinations and links (the linked policies must exist).
Result<void> insert_app_children(sqlite3* db, const App& app);
// Replaces the row (if `updated_at` is still `expected`), destinations and links;
// false when nothing matched.
Result<bool> replace_app_rows(sqlite3* db, const App& app, Time expected);
// The policy row and its rules; no links.
Result<void> insert_policy_rows(sqlite3* db, const Policy& policy);
// The rules alone (after deleting the old ones, on update).
Result<void> insert_policy_rules(sqlite3* db, const Policy& policy);
// Deletes the app-scoped policies of `app_id` that it no longer links.
Result<void> delete_unlinked_app_policies(sqlite3* db, std::string_view app_id);

}  // namespace gatehouse::sqlite
