#pragma once
// A fresh SQLite database with the alerts component, two accounts, a fake clock,
// seeded ids and a master key; helpers to add service tokens, policies and webhooks.
#include "core/ids.hpp"
#include "service/alerts.hpp"
#include "service/webhook_secret.hpp"
#include "store/sqlite_alerts.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

namespace gatehouse::testing {

inline const Time kNow = from_micros(1'800'000'000'000'000);  // 2027-01-15T08:00:00Z

class AlertFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    static int n = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("gatehouse-alert-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = SqliteStore::open((dir_ / "gatehouse.db").string());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    auto a = SqliteAlertStore::open(*store_, sealer());
    ASSERT_TRUE(a) << a.error().message;
    alerts_ = std::move(*a);
    for (const char* id : {"acct1", "acct2"}) ASSERT_TRUE(store_->create_account(Account{id, id, kNow}, event(id)));
    alerting_ = std::make_unique<Alerting>(Alerting{*alerts_, [this] { ++wakes_; }});
    services_ = std::make_unique<Services>(Services{*store_, clock_, random_});
    services_->alerting = alerting_.get();
    services_->master_key = &master_;
  }
  void TearDown() override {
    services_.reset();
    alerts_.reset();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // What serve gives SqliteAlertStore::open: seals with master_.
  WebhookSecretSealer sealer() {
    return [this](std::string_view account, std::string_view id, std::string_view plain) {
      return seal_webhook_secret(plain, master_, random_, account, id);
    };
  }

  // The secret a stored destination would send.
  std::string secret_of(const WebhookDestination& w) {
    auto plain = open_webhook_secret(w, master_);
    EXPECT_TRUE(plain) << plain.error().message;
    return plain ? *plain : std::string();
  }

  AuditEvent event(const std::string& account, const std::string& action = "change") {
    AuditEvent e;
    e.id = new_uuid(random_);
    e.account_id = account;
    e.when = clock_.now();
    e.actor = {"api_token", "actor-id", "actor"};
    e.action = action;
    e.resource_type = "alerting.policy";
    e.resource_id = "r";
    e.resource_name = "n";
    e.interface = "api";
    return e;
  }

  std::int64_t audit_count(const std::string& account = "acct1") {
    return store_->list_audit_events(account, {1, 1})->total_count;
  }

  // A service token expiring `life` after now (nullopt = forever).
  ServiceToken add_token(const std::string& name, std::optional<std::chrono::microseconds> life,
                         const std::string& account = "acct1", bool enabled = true) {
    ServiceToken t;
    t.id = new_uuid(random_);
    t.account_id = account;
    t.name = name;
    t.client_id = new_client_id(random_);
    t.duration = life ? Duration{"1h", std::chrono::nanoseconds(1)} : Duration{"forever", std::nullopt};
    t.enabled = enabled;
    if (life) t.expires_at = clock_.now() + *life;
    t.created_at = t.updated_at = clock_.now();
    t.secret_hash = std::string(64, 'a');
    EXPECT_TRUE(store_->insert_service_token(t, event(account)));
    return t;
  }

  AlertPolicy policy(const std::string& name, std::vector<std::string> emails = {"ops@example.com"},
                     const std::string& account = "acct1") {
    AlertPolicy p;
    p.id = new_uuid(random_);
    p.account_id = account;
    p.name = name;
    p.alert_type = std::string(kExpiringServiceTokenAlert);
    p.emails = std::move(emails);
    p.created_at = p.updated_at = clock_.now();
    return p;
  }

  AlertPolicy add_policy(const std::string& name, std::vector<std::string> emails = {"ops@example.com"},
                         const std::string& account = "acct1") {
    AlertPolicy p = policy(name, std::move(emails), account);
    EXPECT_TRUE(alerts_->insert_alert_policy(p, event(account)));
    return p;
  }

  WebhookDestination add_webhook(const std::string& name, const std::string& account = "acct1") {
    WebhookDestination w;
    w.id = new_uuid(random_);
    w.account_id = account;
    w.name = name;
    w.url = "https://hooks.example.com/" + name;
    w.secret_sealed = seal_webhook_secret("s3cret-" + name, master_, random_, account, w.id).value();
    w.created_at = w.updated_at = clock_.now();
    EXPECT_TRUE(alerts_->insert_webhook(w, event(account)));
    return w;
  }

  OutboxMessage message(const std::string& address, OutboxKind kind = OutboxKind::email,
                        const std::string& account = "acct1") {
    OutboxMessage m;
    m.id = new_uuid(random_);
    m.account_id = account;
    m.policy_id = "p";
    m.policy_name = "policy";
    m.alert_type = "test";
    m.correlation_id = "c";
    m.kind = kind;
    m.address = address;
    m.payload = R"({"alert_type":"test","text":"hello"})";
    m.created_at = m.next_attempt_at = clock_.now();
    return m;
  }

  std::filesystem::path dir_;
  FakeClock clock_{kNow};
  SeededRandom random_{42};
  MasterKey master_{std::array<std::uint8_t, MasterKey::kSize>{7, 7, 7, 7, 7, 7, 7, 7, 1, 2, 3, 4}};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<SqliteAlertStore> alerts_;
  std::unique_ptr<Alerting> alerting_;
  std::unique_ptr<Services> services_;
  int wakes_ = 0;
};

}  // namespace gatehouse::testing
