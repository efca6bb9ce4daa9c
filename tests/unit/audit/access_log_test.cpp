// The authentication log: what the edge reports is stored in batches, found by the
// filters, mirrored, counted when it cannot be queued, pruned by retention.
#include "audit/access_log.hpp"
#include "audit_fixture.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

namespace gatehouse::audit::testing {
namespace {

class AccessLogTest : public AuditFixture {
 protected:
  edge::AccessRecord record(std::string token_name, bool allowed, Time at, std::string reason = {}) {
    edge::AccessRecord r;
    r.at = at;
    r.account_id = account;
    r.app_id = "app-1";
    r.app_domain = "App.Example.com:8443";
    r.service_token_id = "tok-" + token_name;
    r.service_token_name = std::move(token_name);
    r.client_id = "0123456789abcdef0123456789abcdef.access";
    r.allowed = allowed;
    r.reason = reason.empty() ? (allowed ? "allowed" : "bad_secret") : std::move(reason);
    r.ip_address = "192.0.2.7";
    r.ray_id = "ray-" + std::to_string(rays_.fetch_add(1) + 1);
    r.client_secret_version = allowed ? 2 : 0;
    return r;
  }
  PageOf<AccessRequest> query(AccessRequestQuery q) {
    q.account_id = account;
    auto r = log_store->list_access_requests(q);
    EXPECT_TRUE(r) << r.error().message;
    return *r;
  }

 private:
  std::atomic<int> rays_{0};  // records are made on several threads
};

TEST_F(AccessLogTest, RecordsAreStoredWithEveryFieldOnFlush) {
  AccessLog log(*log_store, *store, clock);
  log.record(record("ci-deploy", true, kT0));
  EXPECT_EQ(query({}).total_count, 0) << "nothing is written on the edge's thread";
  log.flush();
  auto page = query({});
  ASSERT_EQ(page.total_count, 1);
  const auto& r = page.items[0];
  EXPECT_GT(r.id, 0);
  EXPECT_EQ(r.created_at, kT0);
  EXPECT_EQ(r.service_token_name, "ci-deploy");
  EXPECT_EQ(r.service_token_id, "tok-ci-deploy");
  EXPECT_EQ(r.app_id, "app-1");
  EXPECT_EQ(r.app_domain, "app.example.com") << "the host without port, lower case";
  EXPECT_TRUE(r.allowed);
  EXPECT_EQ(r.reason, "allowed");
  EXPECT_EQ(r.ip_address, "192.0.2.7");
  EXPECT_EQ(r.ray_id, "ray-1");
  EXPECT_EQ(r.client_secret_version, 2);
  EXPECT_EQ(log.stats().written, 1u);
}

TEST_F(AccessLogTest, FiltersPagesAndDirection) {
  AccessLog log(*log_store, *store, clock);
  for (int i = 0; i < 5; ++i) log.record(record("alpha", i % 2 == 0, kT0 + seconds(i)));
  for (int i = 0; i < 3; ++i) log.record(record("beta", false, kT0 + seconds(10 + i), "service_token_expired"));
  log.flush();

  AccessRequestQuery by_name;
  by_name.token_name = "alpha";
  EXPECT_EQ(query(by_name).total_count, 5);
  AccessRequestQuery by_id;
  by_id.token_id = "tok-beta";
  EXPECT_EQ(query(by_id).total_count, 3);
  AccessRequestQuery denied;
  denied.allowed = false;
  EXPECT_EQ(query(denied).total_count, 5);  // 2 alpha + 3 beta
  AccessRequestQuery reason;
  reason.reason = "service_token_expired";
  EXPECT_EQ(query(reason).total_count, 3);
  AccessRequestQuery app;
  app.apps = {"nope", "app.example.com"};
  EXPECT_EQ(query(app).total_count, 8);
  app.apps = {"app-1"};
  EXPECT_EQ(query(app).total_count, 8);
  app.apps = {"other"};
  EXPECT_EQ(query(app).total_count, 0);
  AccessRequestQuery range;
  range.since = kT0 + seconds(2);
  range.until = kT0 + seconds(10);
  EXPECT_EQ(query(range).total_count, 4);  // alpha 2,3,4 and beta 10

  // Newest first by default; pages of 3; past the end is empty.
  AccessRequestQuery paged;
  paged.page = {1, 3};
  auto p1 = query(paged);
  ASSERT_EQ(p1.items.size(), 3u);
  EXPECT_EQ(p1.total_count, 8);
  EXPECT_EQ(p1.items[0].created_at, kT0 + seconds(12));
  paged.page = {3, 3};
  EXPECT_EQ(query(paged).items.size(), 2u);
  paged.page = {4, 3};
  EXPECT_TRUE(query(paged).items.empty());
  paged.page = {1, 3};
  paged.ascending = true;
  EXPECT_EQ(query(paged).items[0].created_at, kT0);

  // Another account sees nothing.
  AccessRequestQuery other;
  other.account_id = "someone-else";
  EXPECT_EQ(log_store->list_access_requests(other)->total_count, 0);
}

TEST_F(AccessLogTest, WhenTheWriterIsBehindRecordsWaitInTheInboxThenAreDroppedAndCounted) {
  AccessLogOptions o;
  o.per_thread_capacity = 10;  // the inbox then holds 4 x 10, in batches of 10 / 4 = 2
  o.coalesce_window = {};      // one row per record, to count them
  AccessLog log(*log_store, *store, clock, o);  // not started: nothing drains
  for (int i = 0; i < 60; ++i) log.record(record("burst", true, kT0 + microseconds(i)));
  log.flush();
  EXPECT_EQ(query({}).total_count, 50) << "40 in the inbox, 10 in the thread's buffer";
  EXPECT_EQ(log.stats().dropped, 10u);
  EXPECT_EQ(log_store->access_log_counters()->dropped, 10);
  // Room again after the writer took them.
  log.record(record("burst", true, kT0 + seconds(1)));
  log.flush();
  EXPECT_EQ(query({}).total_count, 51);
  // Kept in order: the oldest record is first, the dropped ones are the newest.
  AccessRequestQuery asc;
  asc.ascending = true;
  asc.page = {1, 1};
  EXPECT_EQ(query(asc).items[0].created_at, kT0);
}

TEST_F(AccessLogTest, AllowedDecisionsAlikeWithinASecondAreOneRowWithACount) {
  AccessLog log(*log_store, *store, clock);
  for (int i = 0; i < 5; ++i) log.record(record("ci", true, kT0 + milliseconds(100 * i)));  // one second
  log.record(record("ci", true, kT0 + seconds(1)));                                          // the next one
  auto other_ip = record("ci", true, kT0 + milliseconds(1));
  other_ip.ip_address = "192.0.2.8";
  log.record(std::move(other_ip));
  for (int i = 0; i < 3; ++i) log.record(record("ci", false, kT0 + milliseconds(i)));  // refusals: one row each
  log.flush();
  AccessRequestQuery asc;
  asc.ascending = true;
  const auto page = query(asc);
  ASSERT_EQ(page.total_count, 6);
  const auto& first = page.items[0];
  EXPECT_EQ(first.created_at, kT0) << "the group keeps its first decision's time";
  EXPECT_EQ(first.ray_id, "ray-1") << "and its ray id";
  EXPECT_EQ(first.count, 5);
  std::int64_t allowed = 0, refused_rows = 0;
  for (const auto& r : page.items) {
    if (r.allowed) allowed += r.count;
    else {
      ++refused_rows;
      EXPECT_EQ(r.count, 1);
    }
  }
  EXPECT_EQ(allowed, 7);
  EXPECT_EQ(refused_rows, 3);
  EXPECT_EQ(log_store->access_log_counters()->written, 10) << "the counter counts decisions";
  EXPECT_EQ((log.stats().by_app[{"app-1", true}]), 7u);
}

TEST_F(AccessLogTest, AWindowOfZeroKeepsOneRowPerDecision) {
  AccessLogOptions o;
  o.coalesce_window = {};
  AccessLog log(*log_store, *store, clock, o);
  for (int i = 0; i < 4; ++i) log.record(record("ci", true, kT0));
  log.flush();
  const auto page = query({});
  EXPECT_EQ(page.total_count, 4);
  for (const auto& r : page.items) EXPECT_EQ(r.count, 1);
}

TEST_F(AccessLogTest, UnknownClientIdsAreCountedNotLogged) {
  AccessLog log(*log_store, *store, clock);
  for (int i = 0; i < 7; ++i) log.unknown_client_id();
  log.flush();
  EXPECT_EQ(query({}).total_count, 0);
  EXPECT_EQ(log.stats().unknown_client_ids, 7u);
  EXPECT_EQ(log_store->access_log_counters()->unknown_client_ids, 7);
  EXPECT_EQ(read_access_log_counters(*store)->unknown_client_ids, 7) << "what gatehouse status reads";
}

TEST_F(AccessLogTest, ManyThreadsWithTheWriterRunningLoseNothingAndStopWritesTheRest) {
  AccessLogOptions o;
  o.write_interval = std::chrono::milliseconds(5);
  o.rows_per_transaction = 100;
  o.coalesce_window = {};  // one row per record, to count them
  AccessLog log(*log_store, *store, clock, o);
  log.start();
  constexpr int kThreads = 4, kEach = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) log.record(record("t" + std::to_string(t), true, kT0 + microseconds(i)));
    });
  for (auto& t : threads) t.join();
  log.stop();
  EXPECT_EQ(query({}).total_count, kThreads * kEach);
  EXPECT_EQ(log.stats().dropped, 0u);
  AccessRequestQuery one;
  one.token_name = "t3";
  EXPECT_EQ(query(one).total_count, kEach);
  log.stop();  // a second stop does nothing
}

TEST_F(AccessLogTest, ABatchFromSeveralThreadsIsStoredInTimeOrder) {
  AccessLog log(*log_store, *store, clock);
  std::thread a([&] {
    for (int i = 0; i < 6; i += 2) log.record(record("a", true, kT0 + seconds(i)));
  });
  a.join();
  std::thread b([&] {
    for (int i = 1; i < 6; i += 2) log.record(record("b", true, kT0 + seconds(i)));
  });
  b.join();
  log.flush();
  AccessRequestQuery asc;
  asc.ascending = true;
  const auto rows = query(asc).items;
  ASSERT_EQ(rows.size(), 6u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].created_at, kT0 + seconds(static_cast<int>(i)));
    if (i > 0) {
      EXPECT_GT(rows[i].id, rows[i - 1].id) << "ids follow time within a batch";
    }
  }
}

TEST_F(AccessLogTest, MirrorPrintsOneJsonLinePerRecord) {
  std::string out;
  AccessLogOptions o;
  o.mirror = [&](std::string_view lines) { out += lines; };
  AccessLog log(*log_store, *store, clock, o);
  log.record(record("mirrored", false, kT0 + seconds(1), "policy_denied"));
  log.record(record("mirrored", true, kT0));
  log.flush();
  ASSERT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
  const auto first = boost::json::parse(out.substr(0, out.find('\n'))).as_object();
  EXPECT_EQ(first.at("created_at").as_string(), format_rfc3339(kT0)) << "a batch is printed in time order";
  EXPECT_EQ(first.at("action").as_string(), "login");
  EXPECT_EQ(first.at("service_token_name").as_string(), "mirrored");
  EXPECT_EQ(first.at("allowed").as_bool(), true);
  EXPECT_EQ(first.at("user_email").as_string(), "");
  EXPECT_EQ(first.at("account_id").as_string(), account);
  EXPECT_EQ(first.at("client_secret_version").as_int64(), 2);
}

TEST_F(AccessLogTest, RetentionPrunesOnlyRowsOlderThanItByTheClock) {
  AccessLogOptions o;
  o.retention = hours(24 * 30);
  AccessLog log(*log_store, *store, clock, o);
  log.record(record("old", true, kT0));
  log.record(record("recent", true, kT0 + hours(24 * 20)));
  log.flush();
  clock.set(kT0 + hours(24 * 30) - seconds(1));
  EXPECT_EQ(*log.prune_expired(), 0) << "not yet 30 days old";
  clock.set(kT0 + hours(24 * 31));
  EXPECT_EQ(*log.prune_expired(), 1);
  auto left = query({});
  ASSERT_EQ(left.total_count, 1);
  EXPECT_EQ(left.items[0].service_token_name, "recent");
  clock.advance(hours(24 * 30));
  EXPECT_EQ(*log.prune_expired(), 1);
  EXPECT_EQ(query({}).total_count, 0);
}

TEST_F(AccessLogTest, TheWriterPrunesAtStart) {
  AccessRequest old;
  old.created_at = kT0;
  old.account_id = account;
  ASSERT_TRUE(log_store->insert_access_requests(std::vector<AccessRequest>{old}, {}));
  clock.set(kT0 + hours(24 * 31));
  AccessLog log(*log_store, *store, clock);
  log.start();
  log.stop();
  EXPECT_EQ(query({}).total_count, 0);
}

}  // namespace
}  // namespace gatehouse::audit::testing
