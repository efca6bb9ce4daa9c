// The alert services (service/alerts.hpp): validation names the field and leaves
// state unchanged; changes are audited without the webhook secret; send-test queues
// one message per destination and wakes the worker.
#include "alert_fixture.hpp"

namespace gatehouse::testing {
namespace {

const Actor kActor{"api_token", "tok", "admin"};

class AlertServices : public AlertFixture {
 protected:
  AlertPolicyInput valid() {
    AlertPolicyInput in;
    in.name = "ops";
    in.alert_type = std::string(kExpiringServiceTokenAlert);
    in.mechanisms_given = true;
    in.emails = {"ops@example.com"};
    return in;
  }
  void expect_400(const Result<AlertPolicy>& r, const std::string& slug, const std::string& field) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().http_status, 400);
    EXPECT_EQ(r.error().slug, slug);
    EXPECT_NE(r.error().message.find(field), std::string::npos) << r.error().message;
    EXPECT_EQ(alerts_->list_alert_policies("acct1", {1, 20})->total_count, 0);
  }
};

TEST_F(AlertServices, CreatesAnAuditedPolicyAndWakesTheWorker) {
  const auto before = audit_count();
  auto p = create_alert_policy(*services_, kActor, "acct1", valid());
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(p->enabled);
  EXPECT_FALSE(p->token_ids.has_value());
  EXPECT_EQ(audit_count(), before + 1);
  EXPECT_EQ(wakes_, 1);
}

TEST_F(AlertServices, RefusesAnUnknownAlertType) {
  auto in = valid();
  in.alert_type = "universal_ssl_event_type";
  expect_400(create_alert_policy(*services_, kActor, "acct1", in), "unsupported_alert_type", "alert_type");
}

TEST_F(AlertServices, RefusesABadEmailNamingIt) {
  auto in = valid();
  in.emails = {"ops@example.com", "not an address"};
  expect_400(create_alert_policy(*services_, kActor, "acct1", in), "invalid_email", "mechanisms.email[1].id");
}

TEST_F(AlertServices, RefusesAnUnknownWebhook) {
  auto in = valid();
  in.webhook_ids = {"00000000-0000-4000-8000-000000000000"};
  expect_400(create_alert_policy(*services_, kActor, "acct1", in), "unknown_webhook", "mechanisms.webhooks[0].id");
}

TEST_F(AlertServices, RefusesAWebhookOfAnotherAccount) {
  auto theirs = add_webhook("theirs", "acct2");
  auto in = valid();
  in.webhook_ids = {theirs.id};
  expect_400(create_alert_policy(*services_, kActor, "acct1", in), "unknown_webhook", "mechanisms.webhooks[0].id");
}

TEST_F(AlertServices, RefusesAnUnknownTokenAndAnEmptyFilter) {
  auto in = valid();
  in.filters_given = true;
  in.token_ids = std::vector<std::string>{"00000000-0000-4000-8000-000000000000"};
  expect_400(create_alert_policy(*services_, kActor, "acct1", in), "unknown_service_token", "filters.token_id[0]");
  in.token_ids = std::vector<std::string>{};
  expect_400(create_alert_policy(*services_, kActor, "acct1", in), "invalid_filter", "filters.token_id");
}

TEST_F(AlertServices, UpdateKeepsWhatIsNotGiven) {
  auto t = add_token("ci", std::chrono::hours(24));
  auto in = valid();
  in.filters_given = true;
  in.token_ids = std::vector<std::string>{t.id};
  auto p = create_alert_policy(*services_, kActor, "acct1", in);
  ASSERT_TRUE(p);
  AlertPolicyInput change;
  change.enabled = false;
  auto u = update_alert_policy(*services_, kActor, "acct1", p->id, change);
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->enabled);
  EXPECT_EQ(u->emails, p->emails);
  EXPECT_EQ(u->token_ids, p->token_ids);
  // filters given without token_id: back to every token.
  AlertPolicyInput all;
  all.filters_given = true;
  EXPECT_FALSE(update_alert_policy(*services_, kActor, "acct1", p->id, all)->token_ids.has_value());
}

TEST_F(AlertServices, WebhookUrlAndSecretAreValidated) {
  for (const char* bad : {"", "ftp://example.com/", "https://", "https://user:pw@example.com/", "not a url",
                          "javascript:alert(1)"}) {
    auto r = validate_webhook_url(bad, "url");
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().slug, "invalid_url");
    }
  }
  EXPECT_TRUE(validate_webhook_url("https://hooks.example.com/x?y=1", "url"));
  EXPECT_TRUE(validate_webhook_url("http://127.0.0.1:8080/hook", "url"));
  EXPECT_FALSE(validate_webhook_secret("line\r\nInjected: yes", "secret"));
  EXPECT_FALSE(validate_webhook_secret(" padded", "secret"));
  EXPECT_TRUE(validate_webhook_secret("a-secret with spaces", "secret"));
}

TEST_F(AlertServices, TheSecretNeverEntersTheAuditTrail) {
  WebhookInput in;
  in.name = "hook";
  in.url = "https://hooks.example.com/x";
  in.secret = "very-secret-value";
  auto w = create_webhook(*services_, kActor, "acct1", in);
  ASSERT_TRUE(w);
  WebhookInput change;
  change.secret = "another-secret-value";
  ASSERT_TRUE(update_webhook(*services_, kActor, "acct1", w->id, change));
  ASSERT_TRUE(delete_webhook(*services_, kActor, "acct1", w->id));
  auto events = store_->list_audit_events("acct1", {1, 100});
  ASSERT_TRUE(events);
  int seen = 0;
  for (const auto& e : events->items) {
    if (e.resource_type != "alerting.webhook") continue;
    ++seen;
    EXPECT_EQ(e.before_json.find("secret-value"), std::string::npos) << e.before_json;
    EXPECT_EQ(e.after_json.find("secret-value"), std::string::npos) << e.after_json;
  }
  EXPECT_EQ(seen, 3);
}

TEST_F(AlertServices, SendTestQueuesOneMessagePerDestination) {
  auto w = add_webhook("hook");
  auto in = valid();
  in.emails = {"a@example.com", "b@example.com"};
  in.webhook_ids = {w.id};
  auto p = create_alert_policy(*services_, kActor, "acct1", in);
  ASSERT_TRUE(p);
  const int wakes = wakes_;
  auto q = test_alert_policy(*services_, kActor, "acct1", p->id);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->messages.size(), 3u);
  EXPECT_EQ(wakes_, wakes + 1);
  for (const auto& m : q->messages) EXPECT_EQ(m.alert_type, "test");
  auto hook = test_webhook(*services_, kActor, "acct1", w.id);
  ASSERT_TRUE(hook);
  ASSERT_EQ(hook->messages.size(), 1u);
  EXPECT_EQ(hook->messages[0].address, w.id);
}

TEST_F(AlertServices, UnknownIdsAre404) {
  auto r = get_alert_policy(*services_, "acct1", "nope");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 404);
  auto w = test_webhook(*services_, kActor, "acct1", "nope");
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().http_status, 404);
}

}  // namespace
}  // namespace gatehouse::testing
