// AlertStore contract, delivery half: each (policy, token, expires_at) fires once and
// its messages are queued in the same transaction; claim -> send -> mark; claims are
// leased and released at start; the history reads the outbox newest first.
#include "alert_fixture.hpp"

namespace gatehouse::testing {
namespace {

using namespace std::chrono;

class Outbox : public AlertFixture {
 protected:
  OutboxMessage for_token(const AlertPolicy& p, const ServiceToken& t, const std::string& to) {
    OutboxMessage m = message(to);
    m.policy_id = p.id;
    m.token_id = t.id;
    m.alert_type = std::string(kExpiringServiceTokenAlert);
    return m;
  }
  std::int64_t queued() { return alerts_->list_alert_history({"acct1", {}, {}, {1, 1}})->total_count; }
};

TEST_F(Outbox, AFiringQueuesItsMessagesOnce) {
  auto t = add_token("ci", hours(72));
  auto p = add_policy("p", {"a@example.com", "b@example.com"});
  const std::vector<OutboxMessage> msgs = {for_token(p, t, "a@example.com"), for_token(p, t, "b@example.com")};
  ASSERT_TRUE(*alerts_->record_firing(AlertFiring{p.id, t.id, *t.expires_at, kNow, "c1"}, msgs));
  EXPECT_TRUE(*alerts_->has_fired(p.id, t.id, *t.expires_at));
  EXPECT_EQ(queued(), 2);
  // The same (policy, token, expires_at) again: nothing written.
  const std::vector<OutboxMessage> again = {for_token(p, t, "a@example.com")};
  EXPECT_FALSE(*alerts_->record_firing(AlertFiring{p.id, t.id, *t.expires_at, kNow, "c2"}, again));
  EXPECT_EQ(queued(), 2);
}

TEST_F(Outbox, AStaleExpiryDoesNotFire) {
  auto t = add_token("ci", hours(72));
  auto p = add_policy("p");
  ServiceToken refreshed = t;
  refreshed.expires_at = *t.expires_at + hours(8760);
  refreshed.revision = t.revision + 1;
  ASSERT_TRUE(*store_->update_service_token(refreshed, event("acct1")));
  const std::vector<OutboxMessage> msgs = {for_token(p, t, "ops@example.com")};
  EXPECT_FALSE(*alerts_->record_firing(AlertFiring{p.id, t.id, *t.expires_at, kNow, "c"}, msgs));
  EXPECT_EQ(queued(), 0);
}

TEST_F(Outbox, ADisabledTokenOrPolicyDoesNotFire) {
  auto off = add_token("off", hours(72), "acct1", false);
  auto on = add_token("on", hours(72));
  auto p = add_policy("p");
  EXPECT_FALSE(*alerts_->record_firing(AlertFiring{p.id, off.id, *off.expires_at, kNow, "c"}, {}));
  AlertPolicy disabled = p;
  disabled.enabled = false;
  disabled.updated_at = p.updated_at + seconds(1);
  ASSERT_TRUE(*alerts_->update_alert_policy(disabled, p.updated_at, event("acct1")));
  EXPECT_FALSE(*alerts_->record_firing(AlertFiring{p.id, on.id, *on.expires_at, kNow, "c"}, {}));
}

TEST_F(Outbox, ClaimTakesOnlyDueMessagesAndCountsTheAttempt) {
  auto now = message("now@example.com");
  auto later = message("later@example.com");
  later.next_attempt_at = kNow + minutes(5);
  ASSERT_TRUE(alerts_->enqueue_test(std::vector<OutboxMessage>{now, later}, event("acct1")));
  auto claimed = alerts_->claim_due(kNow, kNow + minutes(10), 10);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].id, now.id);
  EXPECT_EQ((*claimed)[0].attempts, 1);
  EXPECT_EQ((*claimed)[0].status, OutboxStatus::sending);
  // Claimed: not handed out again while the lease holds.
  EXPECT_TRUE(alerts_->claim_due(kNow + minutes(1), kNow + minutes(11), 10)->empty());
  EXPECT_EQ(**alerts_->next_due(), kNow + minutes(5));
}

TEST_F(Outbox, AnExpiredLeaseIsClaimedAgain) {
  auto m = message("a@example.com");
  ASSERT_TRUE(alerts_->enqueue_test(std::vector<OutboxMessage>{m}, event("acct1")));
  ASSERT_EQ(alerts_->claim_due(kNow, kNow + minutes(10), 10)->size(), 1u);
  auto again = alerts_->claim_due(kNow + minutes(10), kNow + minutes(20), 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 2);
}

TEST_F(Outbox, MarkDeliveredRetryAndFailed) {
  auto w = add_webhook("hook");
  auto a = message("a@example.com");
  auto b = message(w.id, OutboxKind::webhook);
  auto c = message(w.id, OutboxKind::webhook);
  ASSERT_TRUE(alerts_->enqueue_test(std::vector<OutboxMessage>{a, b, c}, event("acct1")));
  ASSERT_EQ(alerts_->claim_due(kNow, kNow + minutes(10), 10)->size(), 3u);
  ASSERT_TRUE(alerts_->mark_delivered(a.id, kNow + seconds(1)));
  ASSERT_TRUE(alerts_->mark_retry(b.id, "connection refused", kNow + seconds(2), kNow + seconds(32)));
  ASSERT_TRUE(alerts_->mark_failed(c.id, "gave up", kNow + seconds(3)));
  auto da = **alerts_->find_message(a.id);
  EXPECT_EQ(da.status, OutboxStatus::delivered);
  EXPECT_EQ(da.delivered_at, kNow + seconds(1));
  auto db = **alerts_->find_message(b.id);
  EXPECT_EQ(db.status, OutboxStatus::pending);
  EXPECT_EQ(db.next_attempt_at, kNow + seconds(32));
  EXPECT_EQ(db.last_error, "connection refused");
  EXPECT_EQ((**alerts_->find_message(c.id)).status, OutboxStatus::failed);
  // The webhook remembers its last failure (the retry, then the give-up).
  EXPECT_EQ((**alerts_->find_webhook("acct1", w.id)).last_failure, kNow + seconds(3));
  EXPECT_FALSE((**alerts_->find_webhook("acct1", w.id)).last_success.has_value());
  EXPECT_EQ(**alerts_->next_due(), kNow + seconds(32));
}

TEST_F(Outbox, ReleaseClaimsMakesInterruptedSendsPendingAgain) {
  auto m = message("a@example.com");
  ASSERT_TRUE(alerts_->enqueue_test(std::vector<OutboxMessage>{m}, event("acct1")));
  ASSERT_EQ(alerts_->claim_due(kNow, kNow + minutes(10), 10)->size(), 1u);
  EXPECT_EQ(*alerts_->release_claims(), 1);
  auto again = alerts_->claim_due(kNow, kNow + minutes(10), 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 2);
  EXPECT_EQ(*alerts_->release_claims(), 1);
  ASSERT_TRUE(alerts_->mark_delivered(m.id, kNow));
  EXPECT_EQ(*alerts_->release_claims(), 0);
}

TEST_F(Outbox, HistoryIsNewestFirstAndFiltersByTime) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    auto m = message("m" + std::to_string(i) + "@example.com");
    ids.push_back(m.id);
    ASSERT_TRUE(alerts_->enqueue_test(std::vector<OutboxMessage>{m}, event("acct1")));
    clock_.advance(hours(1));
  }
  auto all = alerts_->list_alert_history({"acct1", {}, {}, {1, 20}});
  ASSERT_EQ(all->items.size(), 4u);
  EXPECT_EQ(all->items.front().id, ids[3]);
  auto window = alerts_->list_alert_history({"acct1", kNow + hours(1), kNow + hours(3), {1, 20}});
  ASSERT_EQ(window->items.size(), 2u);
  EXPECT_EQ(window->total_count, 2);
  EXPECT_EQ(window->items[0].id, ids[2]);
  EXPECT_EQ(window->items[1].id, ids[1]);
  EXPECT_TRUE(alerts_->list_alert_history({"acct2", {}, {}, {1, 20}})->items.empty());
}

TEST_F(Outbox, ATestIsAudited) {
  const auto before = audit_count();
  ASSERT_TRUE(alerts_->enqueue_test(std::vector<OutboxMessage>{message("a@example.com")}, event("acct1")));
  EXPECT_EQ(audit_count(), before + 1);
}

}  // namespace
}  // namespace gatehouse::testing
