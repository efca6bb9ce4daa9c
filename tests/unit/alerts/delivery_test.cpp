// Outbox delivery (notify/delivery.hpp) with a fake transport and a fake clock:
// marked delivered only after the server accepted it, exponential capped backoff,
// nothing lost while the server is down, nothing sent twice, give-up age.
#include "alert_fixture.hpp"
#include "notify/delivery.hpp"
#include "notify/scheduler.hpp"

#include <algorithm>

namespace gatehouse::testing {
namespace {

using namespace std::chrono;

class FakeTransport final : public notify::AlertTransport {
 public:
  bool configured = true;
  bool up = true;
  std::vector<notify::EmailMessage> emails;
  struct Post {
    std::string url, secret, body;
  };
  std::vector<Post> posts;

  bool email_configured() const override { return configured; }
  Result<void> send_email(const notify::EmailMessage& m) override {
    if (!up) return Error{502, "delivery_failed", "connection refused"};
    emails.push_back(m);
    return {};
  }
  Result<void> post_webhook(std::string_view url, std::string_view secret, std::string_view body) override {
    if (!up) return Error{502, "delivery_failed", "webhook answered HTTP 503"};
    posts.push_back({std::string(url), std::string(secret), std::string(body)});
    return {};
  }
};

class Delivery : public AlertFixture {
 protected:
  notify::DeliveryResult deliver() {
    auto r = notify::deliver_due(*alerts_, transport_, clock_, settings_, master_);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : notify::DeliveryResult{};
  }
  void fire() { ASSERT_TRUE(notify::scan_expiring_tokens(*store_, *alerts_, clock_, random_)); }
  OutboxMessage only() {
    auto items = alerts_->list_alert_history({"acct1", {}, {}, {1, 10}})->items;
    EXPECT_EQ(items.size(), 1u);
    return items.at(0);
  }

  FakeTransport transport_;
  notify::AlertSettings settings_;  // 30s initial, 1h cap, 8 days give-up
};

TEST_F(Delivery, RetryDelayDoublesUpToTheCap) {
  EXPECT_EQ(notify::retry_delay(1, settings_), seconds(30));
  EXPECT_EQ(notify::retry_delay(2, settings_), seconds(60));
  EXPECT_EQ(notify::retry_delay(3, settings_), seconds(120));
  EXPECT_EQ(notify::retry_delay(8, settings_), minutes(60));
  EXPECT_EQ(notify::retry_delay(1000, settings_), minutes(60));
}

TEST_F(Delivery, OneEmailPerRecipientWithAStableMessageId) {
  auto t = add_token("ci-deploy", hours(72));
  add_policy("ops", {"a@example.com", "b@example.com"});
  fire();
  EXPECT_EQ(deliver().delivered, 2);
  ASSERT_EQ(transport_.emails.size(), 2u);
  std::vector<std::string> to = {transport_.emails[0].to, transport_.emails[1].to};
  std::sort(to.begin(), to.end());
  EXPECT_EQ(to, (std::vector<std::string>{"a@example.com", "b@example.com"}));
  for (const auto& e : transport_.emails) {
    EXPECT_NE(e.subject.find("ci-deploy"), std::string::npos);
    EXPECT_NE(e.body.find(t.client_id), std::string::npos);
    EXPECT_NE(e.body.find("gatehouse token refresh " + t.id), std::string::npos);
    EXPECT_NE(e.subject.find("in 3 days"), std::string::npos) << e.subject;
  }
  // Nothing is sent twice.
  clock_.advance(hours(2));
  EXPECT_EQ(deliver().claimed(), 0);
  EXPECT_EQ(transport_.emails.size(), 2u);
}

TEST_F(Delivery, AServerThatIsDownLosesNothingAndGetsItOnce) {
  add_token("ci", hours(72));
  add_policy("ops");
  fire();
  transport_.up = false;
  EXPECT_EQ(deliver().retried, 1);
  auto m = only();
  EXPECT_EQ(m.status, OutboxStatus::pending);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.last_error, "connection refused");
  EXPECT_EQ(m.next_attempt_at, kNow + seconds(30));
  // Not due yet: no attempt.
  clock_.advance(seconds(29));
  EXPECT_EQ(deliver().claimed(), 0);
  clock_.advance(seconds(1));
  EXPECT_EQ(deliver().retried, 1);
  EXPECT_EQ(only().next_attempt_at, clock_.now() + seconds(60));
  // The server is back.
  transport_.up = true;
  clock_.advance(seconds(60));
  EXPECT_EQ(deliver().delivered, 1);
  EXPECT_EQ(transport_.emails.size(), 1u);
  EXPECT_EQ(only().status, OutboxStatus::delivered);
  EXPECT_EQ(only().attempts, 3);
  clock_.advance(hours(1));
  EXPECT_EQ(deliver().claimed(), 0);
  EXPECT_EQ(transport_.emails.size(), 1u);
}

TEST_F(Delivery, WithoutSmtpEmailsWaitInTheOutbox) {
  add_token("ci", hours(72));
  add_policy("ops");
  fire();
  transport_.configured = false;
  EXPECT_EQ(deliver().retried, 1);
  EXPECT_NE(only().last_error.find("no SMTP server"), std::string::npos);
  transport_.configured = true;
  clock_.advance(seconds(30));
  EXPECT_EQ(deliver().delivered, 1);
}

TEST_F(Delivery, AClaimInterruptedByACrashIsSentOnceMore) {
  add_token("ci", hours(72));
  add_policy("ops");
  fire();
  // A previous process claimed it and died before marking it.
  ASSERT_EQ(alerts_->claim_due(clock_.now(), clock_.now() + minutes(10), 10)->size(), 1u);
  EXPECT_EQ(deliver().claimed(), 0);  // the claim holds
  ASSERT_EQ(*alerts_->release_claims(), 1);  // what AlertWorker::start does
  EXPECT_EQ(deliver().delivered, 1);
  EXPECT_EQ(transport_.emails.size(), 1u);
}

TEST_F(Delivery, WebhooksPostThePayloadWithTheSecret) {
  auto t = add_token("ci", hours(72));
  auto w = add_webhook("hook");
  AlertPolicy p = policy("hooks", {});
  p.webhook_ids = {w.id};
  ASSERT_TRUE(alerts_->insert_alert_policy(p, event("acct1")));
  fire();
  EXPECT_EQ(deliver().delivered, 1);
  ASSERT_EQ(transport_.posts.size(), 1u);
  EXPECT_EQ(transport_.posts[0].url, w.url);
  EXPECT_EQ(transport_.posts[0].secret, "s3cret-hook");
  EXPECT_NE(transport_.posts[0].body.find(t.client_id), std::string::npos);
  EXPECT_EQ((**alerts_->find_webhook("acct1", w.id)).last_success, clock_.now());
}

TEST_F(Delivery, AWebhookWhoseSecretDoesNotOpenIsRetriedWithAClearError) {
  auto w = add_webhook("hook");
  auto m = message(w.id, OutboxKind::webhook);
  ASSERT_TRUE(alerts_->enqueue_test(std::vector<OutboxMessage>{m}, event("acct1")));
  // Another master key than the one the secret was sealed under (say, a data dir
  // started once with GATEHOUSE_MASTER_KEY and once without).
  const MasterKey other(std::array<std::uint8_t, MasterKey::kSize>{9});
  auto r = notify::deliver_due(*alerts_, transport_, clock_, settings_, other);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->retried, 1);
  EXPECT_TRUE(transport_.posts.empty());
  const auto after = *alerts_->find_message(m.id);
  EXPECT_EQ(after->status, OutboxStatus::pending);
  EXPECT_NE(after->last_error.find("webhook destination " + w.id + " does not decrypt"), std::string::npos)
      << after->last_error;
  EXPECT_EQ(after->last_error.find("s3cret"), std::string::npos);
  // With the right key the retry goes through, signed with the secret.
  clock_.advance(seconds(30));
  EXPECT_EQ(deliver().delivered, 1);
  ASSERT_EQ(transport_.posts.size(), 1u);
  EXPECT_EQ(transport_.posts[0].secret, "s3cret-hook");
}

TEST_F(Delivery, AMessageToADeletedWebhookFails) {
  auto w = add_webhook("hook");
  auto m = message(w.id, OutboxKind::webhook);
  ASSERT_TRUE(alerts_->enqueue_test(std::vector<OutboxMessage>{m}, event("acct1")));
  ASSERT_TRUE(alerts_->delete_webhook("acct1", w.id, event("acct1")));
  EXPECT_EQ((**alerts_->find_message(m.id)).status, OutboxStatus::failed);
  EXPECT_EQ(deliver().claimed(), 0);
  EXPECT_TRUE(transport_.posts.empty());
}

TEST_F(Delivery, GivesUpAfterTheGiveUpAge) {
  add_token("ci", hours(72));
  add_policy("ops");
  fire();
  transport_.up = false;
  settings_.give_up_after = hours(1);
  for (int i = 0; i < 20 && only().status == OutboxStatus::pending; ++i) {
    clock_.advance(minutes(30));
    deliver();
  }
  EXPECT_EQ(only().status, OutboxStatus::failed);
  EXPECT_EQ(only().last_error, "connection refused");
}

}  // namespace
}  // namespace gatehouse::testing
