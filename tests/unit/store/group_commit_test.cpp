// Group commit (store/sqlite_group_commit.hpp): concurrent writes share one
// transaction, each in its own savepoint; every write is answered only after the
// COMMIT that holds it, with the result it would have had alone.
#include "store/sqlite_group_commit.hpp"
#include "store/sqlite_store.hpp"
#include "store/sqlite_tx.hpp"
#include "sample_records.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace gatehouse::testing {
namespace {

using namespace std::chrono;

const Time kT0 = from_micros(1'800'000'000'000'000);

std::string temp_db_path() {
  static std::atomic<int> n = 0;
  auto dir = std::filesystem::temp_directory_path() /
             ("gatehouse-group-commit-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "gatehouse.db").string();
}

std::unique_ptr<SqliteStore> open_store(const std::string& path) {
  auto s = SqliteStore::open(path);
  if (!s) throw std::runtime_error(s.error().message);
  return std::move(*s);
}

AuditEvent event(const std::string& id, const std::string& action = "service_token.create") {
  return sample_event(id, "acct", action, kT0);
}

ServiceToken token(int n) { return sample_token("acct", n, kT0); }

// A second connection, as another process would see the file.
std::int64_t count_on_disk(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
  std::int64_t n = -1;
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

TEST(GroupCommit, ManyThreadsInsertingAreAllDurableAndAudited) {
  const auto path = temp_db_path();
  constexpr int kThreads = 16;
  constexpr int kEach = 40;
  {
    auto store = open_store(path);
    ASSERT_TRUE(store->create_account(Account{"acct", "a", kT0}, event("account")));
    std::vector<std::thread> threads;
    std::atomic<int> failures = 0;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          const int n = t * kEach + i + 1;
          if (!store->insert_service_token(token(n), event("e-" + std::to_string(n)))) ++failures;
        }
      });
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures, 0);
    const auto stats = store->group_commit().stats();
    EXPECT_EQ(stats.writes, 1u + kThreads * kEach);
    EXPECT_LE(stats.transactions, stats.writes);
  }  // closed: what follows reads the file
  EXPECT_EQ(count_on_disk(path, "SELECT count(*) FROM service_tokens"), kThreads * kEach);
  EXPECT_EQ(count_on_disk(path, "SELECT count(DISTINCT id) FROM audit_events WHERE id LIKE 'e-%'"), kThreads * kEach);
}

// One write of a batch: inserts `key` into a test table (or, with `update`, changes a
// row that is not there: the optimistic-revision miss).
struct Write {
  std::string key;
  bool update = false;
};

Result<bool> apply(sqlite3* db, const Write& w) {
  sqlite::Statement s(db, w.update ? "UPDATE items SET key = key WHERE key = ?" : "INSERT INTO items (key) VALUES (?)");
  s.bind(1, w.key);
  if (s.step() != SQLITE_DONE) return sqlite::write_error(db, "insert item", "item_exists", "item " + w.key + " exists");
  return !w.update || sqlite3_changes(db) == 1;
}

std::vector<Write> mixed_writes() {
  std::vector<Write> out;
  for (int i = 0; i < 24; ++i) {
    if (i % 5 == 2) out.push_back({"seeded", false});        // constraint failure
    else if (i % 5 == 4) out.push_back({"absent-" + std::to_string(i), true});  // matches nothing
    else out.push_back({"k" + std::to_string(i), false});
  }
  return out;
}

struct Fixture {
  std::string path = temp_db_path();
  std::unique_ptr<SqliteStore> store = open_store(path);
  Fixture() {
    std::lock_guard lock(store->mutex());
    sqlite::exec(store->handle(), "CREATE TABLE items (key TEXT PRIMARY KEY); INSERT INTO items VALUES ('seeded')",
                 "setup");
  }
};

std::string describe(const Result<bool>& r) {
  if (r) return *r ? "applied" : "not applied";
  return std::to_string(r.error().http_status) + " " + r.error().slug + ": " + r.error().message;
}

TEST(GroupCommit, AFailingWriteFailsAloneWithTheResultOfTheSerialPath) {
  const auto writes = mixed_writes();

  // Serial: one thread, so every write is its own batch (the plain transaction path).
  std::vector<std::string> serial;
  std::int64_t serial_rows = 0;
  std::int64_t serial_audit = 0;
  {
    Fixture f;
    sqlite::GroupCommit group(f.store->handle(), f.store->mutex());
    for (std::size_t i = 0; i < writes.size(); ++i) {
      auto body = [&] { return apply(f.store->handle(), writes[i]); };
      serial.push_back(describe(group.write(event("s" + std::to_string(i)), sqlite::WriteBody(body))));
    }
    EXPECT_EQ(group.stats().largest_batch, 1u);
    serial_rows = count_on_disk(f.path, "SELECT count(*) FROM items");
    serial_audit = count_on_disk(f.path, "SELECT count(*) FROM audit_events");
  }

  // Batched: the first write's leader is held inside its body until every other
  // write has queued, so those all land in the second batch, failures and all.
  Fixture f;
  const std::size_t others = writes.size() - 1;
  std::latch leader_inside(1), release(1), queued(static_cast<std::ptrdiff_t>(writes.size()));
  sqlite::GroupCommitOptions options;
  options.on_queued = [&] { queued.count_down(); };
  sqlite::GroupCommit group(f.store->handle(), f.store->mutex(), options);
  std::vector<std::string> batched(writes.size());
  std::atomic<int> answered = 0;
  auto run = [&](std::size_t i) {
    auto body = [&] {
      if (i == 0) {
        leader_inside.count_down();
        release.wait();
      }
      return apply(f.store->handle(), writes[i]);
    };
    batched[i] = describe(group.write(event("s" + std::to_string(i)), sqlite::WriteBody(body)));
    ++answered;
    // Answered means committed: another connection sees it.
    if (batched[i] == "applied") {
      EXPECT_EQ(count_on_disk(f.path, "SELECT count(*) FROM items WHERE key = '" + writes[i].key + "'"), 1);
    }
  };
  std::vector<std::thread> threads;
  threads.emplace_back(run, 0);
  leader_inside.wait();
  for (std::size_t i = 1; i < writes.size(); ++i) threads.emplace_back(run, i);
  queued.wait();
  EXPECT_EQ(answered, 0);  // nobody is answered before the commit that holds their write
  release.count_down();
  for (auto& th : threads) th.join();

  EXPECT_EQ(group.stats().largest_batch, others);
  EXPECT_EQ(batched, serial);
  EXPECT_EQ(count_on_disk(f.path, "SELECT count(*) FROM items"), serial_rows);
  EXPECT_EQ(count_on_disk(f.path, "SELECT count(*) FROM audit_events"), serial_audit);
  // Audit events exist exactly for the applied writes.
  for (std::size_t i = 0; i < writes.size(); ++i)
    EXPECT_EQ(count_on_disk(f.path, "SELECT count(*) FROM audit_events WHERE id = 's" + std::to_string(i) + "'"),
              batched[i] == "applied" ? 1 : 0)
        << i;
}

TEST(GroupCommit, ConcurrentStoreWritesKeepTheirOwnResults) {
  // Through the Store interface: duplicate client ids are refused (409) and stale
  // revisions miss, while their batch-mates are stored.
  const auto path = temp_db_path();
  auto store = open_store(path);
  ASSERT_TRUE(store->create_account(Account{"acct", "a", kT0}, event("account")));
  ASSERT_TRUE(store->insert_service_token(token(1), event("seed")));
  constexpr int kThreads = 12;
  std::vector<std::string> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      const auto e = event("w" + std::to_string(t));
      if (t % 3 == 0) {
        ServiceToken dup = token(100 + t);
        dup.client_id = token(1).client_id;
        auto r = store->insert_service_token(dup, e);
        results[t] = r ? "stored" : r.error().slug;
      } else if (t % 3 == 1) {
        ServiceToken stale = token(1);
        stale.revision = 5;  // expects revision 4 on disk: a miss
        auto r = store->update_service_token(stale, e);
        results[t] = !r ? r.error().slug : (*r ? "updated" : "missed");
      } else {
        auto r = store->insert_service_token(token(100 + t), e);
        results[t] = r ? "stored" : r.error().slug;
      }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    if (t % 3 == 1) EXPECT_EQ(results[t], "missed") << t;
    else if (t % 3 == 2) EXPECT_EQ(results[t], "stored") << t;
    else EXPECT_NE(results[t], "stored") << t;
    EXPECT_EQ(count_on_disk(path, "SELECT count(*) FROM audit_events WHERE id = 'w" + std::to_string(t) + "'"),
              t % 3 == 2 ? 1 : 0)
        << t;
  }
  EXPECT_EQ(*store->count_service_tokens("acct"), 1 + kThreads / 3);
}

}  // namespace
}  // namespace gatehouse::testing
