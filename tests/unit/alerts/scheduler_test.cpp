// The firing rule (notify/scheduler.hpp) with a fake clock: within 7 days fires once
// per (policy, token, expires_at); refresh re-arms; forever, disabled, expired and
// filtered-out tokens never fire.
#include "alert_fixture.hpp"
#include "notify/scheduler.hpp"

#include <boost/json/parse.hpp>

namespace gatehouse::testing {
namespace {

using namespace std::chrono;

class Scheduler : public AlertFixture {
 protected:
  notify::ScanResult scan() {
    auto r = notify::scan_expiring_tokens(*store_, *alerts_, clock_, random_);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : notify::ScanResult{};
  }
  std::vector<OutboxMessage> history(const std::string& account = "acct1") {
    return alerts_->list_alert_history({account, {}, {}, {1, 1000}})->items;
  }
};

TEST_F(Scheduler, ATokenExpiringIn72HoursFiresOncePerRecipient) {
  auto t = add_token("ci-deploy", hours(72));
  auto p = add_policy("ops", {"a@example.com", "b@example.com"});
  auto r = scan();
  EXPECT_EQ(r.fired, 1);
  EXPECT_EQ(r.messages, 2);
  auto sent = history();
  ASSERT_EQ(sent.size(), 2u);
  for (const auto& m : sent) {
    EXPECT_EQ(m.token_id, t.id);
    EXPECT_EQ(m.policy_id, p.id);
    EXPECT_EQ(m.status, OutboxStatus::pending);
    EXPECT_EQ(m.correlation_id, sent[0].correlation_id);
    auto payload = boost::json::parse(m.payload).as_object();
    EXPECT_EQ(payload.at("data").at("client_id").as_string(), t.client_id);
    EXPECT_EQ(payload.at("alert_type").as_string(), kExpiringServiceTokenAlert);
  }
  // Every later scan: nothing new.
  clock_.advance(hours(1));
  EXPECT_EQ(scan().fired, 0);
  EXPECT_EQ(history().size(), 2u);
}

TEST_F(Scheduler, AYearLongTokenFiresOnlyWhenItEntersTheWindow) {
  auto t = add_token("yearly", hours(8760));
  add_policy("ops");
  EXPECT_EQ(scan().fired, 0);
  clock_.advance(hours(8760 - 24 * 7) - seconds(1));
  EXPECT_EQ(scan().fired, 0);
  clock_.advance(seconds(1));  // expires_at == now + 7 days: inside
  EXPECT_EQ(scan().fired, 1);
}

TEST_F(Scheduler, ForeverDisabledAndExpiredTokensNeverFire) {
  add_token("forever", std::nullopt);
  add_token("disabled", hours(24), "acct1", false);
  add_token("expired", hours(1));
  add_policy("ops");
  clock_.advance(hours(2));  // "expired" is past now
  EXPECT_EQ(scan().fired, 0);
  EXPECT_TRUE(history().empty());
}

TEST_F(Scheduler, RefreshMovesTheExpirySoItMayFireAgain) {
  auto t = add_token("ci", hours(48));
  auto p = add_policy("ops");
  EXPECT_EQ(scan().fired, 1);
  ServiceToken refreshed = t;
  refresh(refreshed, clock_.now());
  refreshed.revision = t.revision + 1;
  ASSERT_TRUE(*store_->update_service_token(refreshed, event("acct1")));
  EXPECT_EQ(scan().fired, 0);  // the new expiry is a year away
  clock_.advance(hours(8760 + 48 - 24 * 7));
  EXPECT_EQ(scan().fired, 1);
  EXPECT_TRUE(*alerts_->has_fired(p.id, t.id, *refreshed.expires_at));
  EXPECT_EQ(history().size(), 2u);
}

TEST_F(Scheduler, TheTokenFilterIsHonoured) {
  auto watched = add_token("watched", hours(24));
  add_token("other", hours(24));
  AlertPolicy p = policy("only-watched");
  p.token_ids = std::vector<std::string>{watched.id};
  ASSERT_TRUE(alerts_->insert_alert_policy(p, event("acct1")));
  EXPECT_EQ(scan().fired, 1);
  auto sent = history();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].token_id, watched.id);
}

TEST_F(Scheduler, PoliciesOnlySeeTheirOwnAccount) {
  add_token("theirs", hours(24), "acct2");
  add_policy("mine");
  EXPECT_EQ(scan().fired, 0);
  add_policy("theirs", {"x@example.com"}, "acct2");
  EXPECT_EQ(scan().fired, 1);
  EXPECT_EQ(history("acct2").size(), 1u);
  EXPECT_TRUE(history("acct1").empty());
}

TEST_F(Scheduler, APolicyWithoutRecipientsStaysArmed) {
  auto t = add_token("ci", hours(24));
  auto p = add_policy("nobody", {});
  EXPECT_EQ(scan().fired, 0);
  EXPECT_FALSE(*alerts_->has_fired(p.id, t.id, *t.expires_at));
  AlertPolicy with = p;
  with.emails = {"late@example.com"};
  with.updated_at = p.updated_at + seconds(1);
  ASSERT_TRUE(*alerts_->update_alert_policy(with, p.updated_at, event("acct1")));
  EXPECT_EQ(scan().fired, 1);
}

TEST_F(Scheduler, WebhooksGetOneMessageEach) {
  add_token("ci", hours(24));
  auto w1 = add_webhook("one");
  auto w2 = add_webhook("two");
  AlertPolicy p = policy("hooks", {});
  p.webhook_ids = {w1.id, w2.id};
  ASSERT_TRUE(alerts_->insert_alert_policy(p, event("acct1")));
  EXPECT_EQ(scan().messages, 2);
  for (const auto& m : history()) EXPECT_EQ(m.kind, OutboxKind::webhook);
}

TEST_F(Scheduler, ADisabledPolicyDoesNotFire) {
  add_token("ci", hours(24));
  AlertPolicy p = policy("off");
  p.enabled = false;
  ASSERT_TRUE(alerts_->insert_alert_policy(p, event("acct1")));
  EXPECT_EQ(scan().fired, 0);
}

}  // namespace
}  // namespace gatehouse::testing
