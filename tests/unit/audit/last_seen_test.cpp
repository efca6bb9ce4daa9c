// Last seen (compat.md §3): the edge's uses, flushed in batches, show on the token —
// per secret version — without counting as a change of the token.
#include "audit/access_log.hpp"
#include "audit_fixture.hpp"
#include "service/json_views.hpp"

#include <thread>

namespace gatehouse::audit::testing {
namespace {

class LastSeenTest : public AuditFixture {
 protected:
  ServiceToken reload(const ServiceToken& t) {
    auto found = store->find_service_token(account, t.id);
    EXPECT_TRUE(found && *found);
    return **found;
  }
};

TEST_F(LastSeenTest, UsesAreFlushedPerVersionWithoutTouchingRevisionOrUpdatedAt) {
  const ServiceToken t = create_token("ci");
  AccessLog log(*log_store, *store, clock);
  log.seen(t.id, 1, kT0 + seconds(5));
  log.seen(t.id, 1, kT0 + seconds(3));  // out of order: the latest wins
  EXPECT_FALSE(reload(t).last_seen_at) << "nothing is written on the edge's thread";
  log.flush();
  const ServiceToken after = reload(t);
  ASSERT_TRUE(after.last_seen_at);
  EXPECT_EQ(*after.last_seen_at, kT0 + seconds(5));
  EXPECT_EQ(secret_last_seen_at(after, 1), kT0 + seconds(5));
  EXPECT_EQ(after.revision, t.revision);
  EXPECT_EQ(after.updated_at, t.updated_at);
  // Only the admin's own change is in the audit log.
  EXPECT_EQ(audit_events("service_token.create").total_count, 1);
}

TEST_F(LastSeenTest, RotationShowsWhenThePreviousSecretWentQuiet) {
  const ServiceToken t = create_token("rotating");
  ASSERT_TRUE(rotate_service_token(*services, admin, account, t.id, kT0 + hours(24)));
  AccessLog log(*log_store, *store, clock);
  log.seen(t.id, 1, kT0 + seconds(10));  // the old secret, still in grace
  log.seen(t.id, 2, kT0 + seconds(20));  // the new one
  log.seen(t.id, 0, kT0 + seconds(30));  // a JWT: the token, no secret version
  log.flush();
  const ServiceToken after = reload(t);
  EXPECT_EQ(*after.last_seen_at, kT0 + seconds(30));
  ASSERT_EQ(after.secret_last_seen.size(), 2u);
  EXPECT_EQ(after.secret_last_seen[0], (SecretUse{2, kT0 + seconds(20)})) << "newest version first";
  EXPECT_EQ(after.secret_last_seen[1], (SecretUse{1, kT0 + seconds(10)}));
  const auto json = to_json(after);
  EXPECT_EQ(json.at("previous_client_secret_last_seen_at").as_string(), format_rfc3339(kT0 + seconds(10)));
  EXPECT_EQ(json.at("client_secret_last_seen_at").as_string(), format_rfc3339(kT0 + seconds(20)));
  EXPECT_EQ(json.at("last_seen_at").as_string(), format_rfc3339(kT0 + seconds(30)));
  EXPECT_EQ(json.at("client_secret_versions_last_seen").as_array().size(), 2u);
}

TEST_F(LastSeenTest, AnAdminUpdateNeverMovesLastSeenBack) {
  const ServiceToken t = create_token("racing");
  // The admin path read the token before the flusher wrote a use, then stores its change.
  ServiceToken stale = reload(t);
  AccessLog log(*log_store, *store, clock);
  log.seen(t.id, 1, kT0 + seconds(40));
  log.flush();
  stale.name = "renamed";
  stale.revision += 1;
  AuditEvent e;
  e.id = "evt-race";
  e.account_id = account;
  e.action = "service_token.update";
  ASSERT_TRUE(*store->update_service_token(stale, e));
  const ServiceToken after = reload(t);
  EXPECT_EQ(after.name, "renamed");
  ASSERT_TRUE(after.last_seen_at);
  EXPECT_EQ(*after.last_seen_at, kT0 + seconds(40));
}

TEST_F(LastSeenTest, UsesOfADeletedTokenAreSkippedNotFailed) {
  const ServiceToken gone = create_token("gone");
  const ServiceToken kept = create_token("kept");
  AccessLog log(*log_store, *store, clock);
  log.seen(gone.id, 1, kT0 + seconds(1));
  log.seen(kept.id, 1, kT0 + seconds(2));
  ASSERT_TRUE(delete_service_token(*services, admin, account, gone.id));
  log.flush();
  EXPECT_EQ(*reload(kept).last_seen_at, kT0 + seconds(2));
}

TEST_F(LastSeenTest, ThreadsReportIndependentlyAndStopFlushes) {
  const ServiceToken t = create_token("threads");
  {
    AccessLog log(*log_store, *store, clock);
    log.start();
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
      threads.emplace_back([&, i] {
        for (int n = 0; n < 500; ++n) log.seen(t.id, 1, kT0 + seconds(i * 1000 + n));
      });
    for (auto& th : threads) th.join();
  }  // the destructor stops, which flushes
  EXPECT_EQ(*reload(t).last_seen_at, kT0 + seconds(3499));
}

}  // namespace
}  // namespace gatehouse::audit::testing
