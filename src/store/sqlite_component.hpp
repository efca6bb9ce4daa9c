#pragma once
// Feature stores that live in the same SQLite database as SqliteStore (alerts, access
// log, …): each keeps its own tables with its own migration sequence, recorded in the
// table component_migrations, so features evolve without renumbering the core schema.
//
// A component store shares the SqliteStore's connection and must hold its mutex
// around every use of the handle (SqliteStore::Lock), exactly as SqliteStore does.
#include "core/error.hpp"

#include <functional>
#include <span>
#include <string_view>

struct sqlite3;

namespace gatehouse {

// Runs after the SQL of step `version`, inside its transaction: the data conversions
// SQL cannot express (say, encrypting a column). An error rolls the step back.
using MigrationHook = std::function<Result<void>(sqlite3* db, int version)>;

// Applies the steps of `component` that the database has not seen yet, each in its
// own transaction (with `after_step`, if given). Refuses a database that has more
// steps than this build knows.
Result<void> migrate_component(sqlite3* db, std::string_view component, std::span<const std::string_view> steps,
                               const MigrationHook& after_step = {});

}  // namespace gatehouse
