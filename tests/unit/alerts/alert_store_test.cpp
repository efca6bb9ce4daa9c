// AlertStore contract, configuration half: policies (with their ordered targets and
// token filter), webhook destinations, audit events in the same transaction,
// optimistic concurrency, and the in-use rule.
#include "alert_fixture.hpp"

namespace gatehouse::testing {
namespace {

using namespace std::chrono;

using AlertPolicies = AlertFixture;
using Webhooks = AlertFixture;

TEST_F(AlertPolicies, RoundTripKeepsOrderedTargetsAndTheTokenFilter) {
  auto hook = add_webhook("ops-hook");
  AlertPolicy p = policy("expiring", {"b@example.com", "a@example.com"});
  p.description = "tell ops";
  p.webhook_ids = {hook.id};
  p.token_ids = std::vector<std::string>{"t2", "t1"};
  const auto before = audit_count();
  ASSERT_TRUE(alerts_->insert_alert_policy(p, event("acct1")));
  EXPECT_EQ(audit_count(), before + 1);
  auto found = alerts_->find_alert_policy("acct1", p.id);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(**found, p);
}

TEST_F(AlertPolicies, NoFilterMeansEveryTokenAndIsNotAnEmptyFilter) {
  auto p = add_policy("all");
  auto found = alerts_->find_alert_policy("acct1", p.id);
  ASSERT_TRUE(found && *found);
  EXPECT_FALSE((*found)->token_ids.has_value());
}

TEST_F(AlertPolicies, AreScopedToTheirAccount) {
  auto p = add_policy("mine");
  EXPECT_FALSE(*alerts_->find_alert_policy("acct2", p.id));
  EXPECT_EQ(alerts_->list_alert_policies("acct2", {1, 20})->total_count, 0);
  EXPECT_FALSE(*alerts_->delete_alert_policy("acct2", p.id, event("acct2")));
  EXPECT_TRUE(*alerts_->find_alert_policy("acct1", p.id));
}

TEST_F(AlertPolicies, ListPagesByCreation) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(add_policy("p" + std::to_string(i)).id);
    clock_.advance(seconds(1));
  }
  auto page = alerts_->list_alert_policies("acct1", {2, 2});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_count, 5);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, ids[2]);
  EXPECT_EQ(page->items[1].id, ids[3]);
  EXPECT_TRUE(alerts_->list_alert_policies("acct1", {4, 2})->items.empty());
}

TEST_F(AlertPolicies, UpdateReplacesTargetsAndChecksTheRevision) {
  auto p = add_policy("p", {"a@example.com"});
  AlertPolicy changed = p;
  changed.emails = {"c@example.com"};
  changed.token_ids = std::vector<std::string>{"t1"};
  changed.enabled = false;
  changed.updated_at = p.updated_at + seconds(1);
  ASSERT_TRUE(*alerts_->update_alert_policy(changed, p.updated_at, event("acct1")));
  EXPECT_EQ(**alerts_->find_alert_policy("acct1", p.id), changed);
  // A writer that read the old revision loses.
  AlertPolicy stale = p;
  stale.name = "stale";
  stale.updated_at = p.updated_at + seconds(2);
  const auto before = audit_count();
  EXPECT_FALSE(*alerts_->update_alert_policy(stale, p.updated_at, event("acct1")));
  EXPECT_EQ(audit_count(), before);
  EXPECT_EQ((*alerts_->find_alert_policy("acct1", p.id))->name, "p");
}

TEST_F(AlertPolicies, ListEnabledCoversEveryAccount) {
  add_policy("one");
  clock_.advance(seconds(1));
  add_policy("two", {"x@example.com"}, "acct2");
  AlertPolicy off = policy("off");
  off.enabled = false;
  ASSERT_TRUE(alerts_->insert_alert_policy(off, event("acct1")));
  auto enabled = alerts_->list_enabled_alert_policies();
  ASSERT_TRUE(enabled);
  ASSERT_EQ(enabled->size(), 2u);
  EXPECT_EQ((*enabled)[0].name, "one");
  EXPECT_EQ((*enabled)[1].name, "two");
}

TEST_F(AlertPolicies, DeleteIsAuditedAndForgetsFirings) {
  auto t = add_token("ci", hours(48));
  auto p = add_policy("p");
  ASSERT_TRUE(*alerts_->record_firing(AlertFiring{p.id, t.id, *t.expires_at, kNow, "c"}, {}));
  const auto before = audit_count();
  ASSERT_TRUE(*alerts_->delete_alert_policy("acct1", p.id, event("acct1")));
  EXPECT_EQ(audit_count(), before + 1);
  EXPECT_FALSE(*alerts_->has_fired(p.id, t.id, *t.expires_at));
  EXPECT_FALSE(*alerts_->delete_alert_policy("acct1", p.id, event("acct1")));
}

TEST_F(Webhooks, RoundTripKeepsTheSecretForSending) {
  auto w = add_webhook("hook");
  auto found = alerts_->find_webhook("acct1", w.id);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(**found, w);
  EXPECT_EQ(secret_of(**found), "s3cret-hook");
  EXPECT_FALSE(*alerts_->find_webhook("acct2", w.id));
}

TEST_F(Webhooks, UpdateChecksTheRevision) {
  auto w = add_webhook("hook");
  WebhookDestination changed = w;
  changed.url = "https://other.example.com/";
  changed.secret_sealed = "";
  changed.updated_at = w.updated_at + seconds(1);
  ASSERT_TRUE(*alerts_->update_webhook(changed, w.updated_at, event("acct1")));
  EXPECT_EQ(**alerts_->find_webhook("acct1", w.id), changed);
  EXPECT_FALSE(*alerts_->update_webhook(changed, w.updated_at, event("acct1")));
}

TEST_F(Webhooks, InUseIsNotDeletedAndNamesThePolicies) {
  auto w = add_webhook("hook");
  AlertPolicy p = policy("uses-it");
  p.webhook_ids = {w.id};
  ASSERT_TRUE(alerts_->insert_alert_policy(p, event("acct1")));
  const auto before = audit_count();
  auto r = alerts_->delete_webhook("acct1", w.id, event("acct1"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 409);
  EXPECT_EQ(r.error().slug, "webhook_in_use");
  EXPECT_NE(r.error().message.find("uses-it"), std::string::npos);
  EXPECT_EQ(audit_count(), before);
  EXPECT_TRUE(*alerts_->find_webhook("acct1", w.id));
  auto users = alerts_->policies_using_webhook("acct1", w.id);
  ASSERT_TRUE(users);
  EXPECT_EQ(*users, (std::vector<AlertPolicyRef>{{p.id, "uses-it"}}));
}

TEST_F(Webhooks, DeleteFailsItsUndeliveredMessages) {
  auto w = add_webhook("hook");
  auto pending = message(w.id, OutboxKind::webhook);
  auto other = message("ops@example.com");
  ASSERT_TRUE(alerts_->enqueue_test(std::vector<OutboxMessage>{pending, other}, event("acct1")));
  ASSERT_TRUE(*alerts_->delete_webhook("acct1", w.id, event("acct1")));
  EXPECT_EQ((*alerts_->find_message(pending.id))->status, OutboxStatus::failed);
  EXPECT_EQ((*alerts_->find_message(other.id))->status, OutboxStatus::pending);
}

TEST_F(AlertFixture, ReopeningDoesNotMigrateTwice) {
  auto again = SqliteAlertStore::open(*store_, sealer());
  ASSERT_TRUE(again) << again.error().message;
  auto p = add_policy("still-there");
  EXPECT_TRUE(*(*again)->find_alert_policy("acct1", p.id));
}

}  // namespace
}  // namespace gatehouse::testing
