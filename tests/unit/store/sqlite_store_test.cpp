#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "store_conformance.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace gatehouse::testing {
namespace {

std::string temp_db_path() {
  static int n = 0;
  auto dir = std::filesystem::temp_directory_path() /
             ("gatehouse-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "gatehouse.db").string();
}

std::unique_ptr<Store> make_sqlite() {
  auto s = SqliteStore::open(temp_db_path());
  if (!s) throw std::runtime_error(s.error().message);
  return std::move(*s);
}

std::string factory_name(const ::testing::TestParamInfo<StoreFactory>& p) { return p.param.name; }
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(StoreFactory{"sqlite", make_sqlite}), factory_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, SeededStore, ::testing::Values(StoreFactory{"sqlite", make_sqlite}), factory_name);

std::string pragma(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

TEST(SqliteStore, UsesWalAndIsMigratedToTheLatestVersion) {
  const auto path = temp_db_path();
  auto s = SqliteStore::open(path);
  ASSERT_TRUE(s);
  EXPECT_EQ(pragma(path, "PRAGMA journal_mode"), "wal");
  EXPECT_GE((*s)->schema_version(), 1);
}

TEST(SqliteStore, ReopeningKeepsDataAndDoesNotMigrateTwice) {
  const auto path = temp_db_path();
  {
    auto s = SqliteStore::open(path);
    ASSERT_TRUE(s);
    AuditEvent e;
    e.id = "e1";
    e.account_id = "a";
    ASSERT_TRUE((*s)->create_account(Account{"a", "A", from_micros(1)}, e));
  }
  auto again = SqliteStore::open(path);
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->list_accounts()->size(), 1u);
}

TEST(SqliteStore, RefusesADatabaseFromANewerVersion) {
  const auto path = temp_db_path();
  { ASSERT_TRUE(SqliteStore::open(path)); }
  pragma(path, "PRAGMA user_version = 999");
  auto s = SqliteStore::open(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().slug, "store_too_new");
}

TEST(SqliteStore, TwoConnectionsSeeEachOthersCommits) {
  // The CLI writes to the data dir while the server runs.
  const auto path = temp_db_path();
  auto a = SqliteStore::open(path);
  auto b = SqliteStore::open(path);
  ASSERT_TRUE(a && b);
  AuditEvent e;
  e.id = "e1";
  e.account_id = "x";
  ASSERT_TRUE((*a)->create_account(Account{"x", "X", from_micros(1)}, e));
  EXPECT_TRUE((*b)->find_account("x")->has_value());
}

TEST(SqliteStore, MigrationTwoGivesExistingAccountsTheirDefaultOrganization) {
  // A data dir written by a version that knew only migration 1.
  const auto path = temp_db_path();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string v1 = std::string(sqlite_migrations()[0]) +
                           "PRAGMA user_version = 1;"
                           "INSERT INTO accounts VALUES ('0123456789abcdef0123456789abcdef', 'Old', 5);";
    ASSERT_EQ(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto s = SqliteStore::open(path);
  ASSERT_TRUE(s);
  EXPECT_GE((*s)->schema_version(), 2);
  auto org = (*s)->find_organization("0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(org && *org);
  EXPECT_EQ((*org)->auth_domain, "01234567.gatehouse.internal");
  EXPECT_EQ((*org)->name, "Old");
  EXPECT_EQ((*org)->session_duration.text, "24h");
  EXPECT_EQ((*org)->session_duration.length, std::chrono::nanoseconds(std::chrono::hours(24)));
  EXPECT_EQ((*org)->service_token_inactivity, InactivitySetting{});
  EXPECT_EQ((*org)->key_rotation_interval_days, 42);
  EXPECT_EQ((*org)->created_at, from_micros(5));
}

}  // namespace
}  // namespace gatehouse::testing
