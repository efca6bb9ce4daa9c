// Webhook secrets at rest (service/webhook_secret.hpp): the database holds only the
// sealed form (checked on the SQLite file itself), a sealed secret opens only with its
// master key and in its own row, updates keep or replace it, and a database from before
// encryption is upgraded on open with no secret lost.
#include "alert_fixture.hpp"
#include "store/sqlite_alerts_schema.hpp"
#include "store/sqlite_component.hpp"

#include <sqlite3.h>

#include <fstream>
#include <iterator>

namespace gatehouse::testing {
namespace {

const Actor kActor{"api_token", "actor-id", "actor"};
constexpr std::string_view kPlain = "plain-marker-Zq7Wx2";

class WebhookSecrets : public AlertFixture {
 protected:
  // A second connection, as an attacker with a copy of the file would read it.
  std::string raw_column(const std::string& id, const char* column = "secret_sealed") {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2((dir_ / "gatehouse.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    const std::string sql = std::string("SELECT ") + column + " FROM alert_webhooks WHERE id = ?";
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    std::string out = "<no row>";
    if (sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }

  // Every byte of the database and its WAL, after the store is closed.
  std::string file_bytes() {
    alerts_.reset();
    store_.reset();
    std::string all;
    for (const char* name : {"gatehouse.db", "gatehouse.db-wal"}) {
      std::ifstream f(dir_ / name, std::ios::binary);
      all.append(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
    return all;
  }

  WebhookDestination create(const std::string& secret, const std::string& account = "acct1") {
    WebhookInput in;
    in.name = "hook";
    in.url = "https://hooks.example.com/x";
    in.secret = secret;
    auto w = create_webhook(*services_, kActor, account, in);
    EXPECT_TRUE(w) << w.error().message;
    return *w;
  }

  void set_raw(const std::string& id, const std::string& sealed) {
    std::lock_guard lock(store_->mutex());
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(store_->handle(), "UPDATE alert_webhooks SET secret_sealed = ? WHERE id = ?", -1,
                                 &st, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(st, 1, sealed.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, id.c_str(), -1, SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
  }
};

TEST_F(WebhookSecrets, TheStoredColumnHoldsNoPlainSecret) {
  const auto w = create(std::string(kPlain));
  const std::string stored = raw_column(w.id);
  EXPECT_TRUE(stored.starts_with("v1:")) << stored;
  EXPECT_EQ(stored.find(kPlain), std::string::npos);
  EXPECT_EQ(file_bytes().find(kPlain), std::string::npos) << "the plain secret is somewhere in the database file";
}

TEST_F(WebhookSecrets, RoundTripsAndSealsWithAFreshNonce) {
  const auto a = create(std::string(kPlain));
  const auto b = create(std::string(kPlain));
  EXPECT_EQ(secret_of(**alerts_->find_webhook("acct1", a.id)), kPlain);
  EXPECT_NE(a.secret_sealed, b.secret_sealed);
  // No secret: nothing sealed, and the API says so.
  const auto none = create("");
  EXPECT_EQ(none.secret_sealed, "");
  EXPECT_EQ(secret_of(none), "");
}

TEST_F(WebhookSecrets, AnotherMasterKeyIsRefused) {
  const auto w = create(std::string(kPlain));
  const MasterKey other(std::array<std::uint8_t, MasterKey::kSize>{1});
  auto r = open_webhook_secret(w, other);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().slug, "webhook_secret_undecryptable");
  EXPECT_NE(r.error().message.find(w.id), std::string::npos);
  EXPECT_EQ(r.error().message.find(kPlain), std::string::npos);
}

TEST_F(WebhookSecrets, ASecretSwappedIntoAnotherRowDoesNotOpen) {
  const auto a = create("secret-of-a");
  const auto b = create("secret-of-b");
  const auto c = create("secret-of-c", "acct2");
  set_raw(b.id, a.secret_sealed);  // same account, another webhook
  auto in_b = open_webhook_secret(**alerts_->find_webhook("acct1", b.id), master_);
  ASSERT_FALSE(in_b);
  EXPECT_EQ(in_b.error().slug, "webhook_secret_undecryptable");
  set_raw(c.id, a.secret_sealed);  // another account
  EXPECT_FALSE(open_webhook_secret(**alerts_->find_webhook("acct2", c.id), master_));
  // Sealed for another purpose (a signing key's blob) does not open either.
  auto key_blob = encrypt_private_key("secret-of-a", master_, random_, a.id).value();
  set_raw(a.id, key_blob);
  EXPECT_FALSE(open_webhook_secret(**alerts_->find_webhook("acct1", a.id), master_));
}

TEST_F(WebhookSecrets, TheSameSecretAgainChangesNothingAndANewOneIsSealedAnew) {
  const auto w = create("first-secret");
  const auto events = audit_count();
  WebhookInput same;
  same.secret = "first-secret";
  auto kept = update_webhook(*services_, kActor, "acct1", w.id, same);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->secret_sealed, w.secret_sealed);
  EXPECT_EQ(audit_count(), events);
  WebhookInput other;
  other.secret = "second-secret";
  auto changed = update_webhook(*services_, kActor, "acct1", w.id, other);
  ASSERT_TRUE(changed);
  EXPECT_NE(changed->secret_sealed, w.secret_sealed);
  EXPECT_EQ(secret_of(**alerts_->find_webhook("acct1", w.id)), "second-secret");
  EXPECT_EQ(audit_count(), events + 1);
  const auto last = store_->list_audit_events("acct1", {1, 1})->items.at(0);
  EXPECT_NE(last.after_json.find("\"secret_changed\":true"), std::string::npos) << last.after_json;
  EXPECT_EQ(last.after_json.find("v1:"), std::string::npos) << "not even the sealed form is audited";
}

TEST_F(WebhookSecrets, AnUndecryptableSecretIsRepairedBySettingItAgain) {
  const auto w = create("first-secret");
  set_raw(w.id, create("other").secret_sealed);
  WebhookInput in;
  in.secret = "first-secret";
  ASSERT_TRUE(update_webhook(*services_, kActor, "acct1", w.id, in));
  EXPECT_EQ(secret_of(**alerts_->find_webhook("acct1", w.id)), "first-secret");
}

TEST_F(WebhookSecrets, WithoutAMasterKeyNothingIsStored) {
  services_->master_key = nullptr;
  WebhookInput in;
  in.name = "hook";
  in.url = "https://hooks.example.com/x";
  in.secret = "s";
  auto r = create_webhook(*services_, kActor, "acct1", in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().slug, "no_master_key");
  EXPECT_EQ(alerts_->list_webhooks("acct1", {1, 10})->total_count, 0);
}

// A data dir from before encryption: the alerts component at step 1, a plain secret.
class WebhookSecretUpgrade : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("gatehouse-secret-upgrade-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = SqliteStore::open(path());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    ASSERT_TRUE(store_->create_account(Account{"acct1", "acct1", kNow}, event()));
    std::lock_guard lock(store_->mutex());
    // Step 1 as released (steps are append-only, so this is the old schema).
    ASSERT_TRUE(migrate_component(store_->handle(), "alerts", std::span(sqlite::kAlertMigrations).first(1)));
    exec("INSERT INTO alert_webhooks (id, account_id, name, url, secret, created_at, updated_at) VALUES "
         "('w-plain', 'acct1', 'old', 'https://hooks.example.com/old', '" + std::string(kPlain) + "', 1, 1), "
         "('w-none', 'acct1', 'none', 'https://hooks.example.com/none', '', 1, 1)");
  }
  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string path() const { return (dir_ / "gatehouse.db").string(); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(store_->handle(), sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
  }
  AuditEvent event() {
    AuditEvent e;
    e.id = new_uuid(random_);
    e.account_id = "acct1";
    e.when = kNow;
    e.actor = {"system", "gatehouse", "gatehouse"};
    e.action = "account.create";
    e.resource_type = "account";
    e.interface = "test";
    return e;
  }
  WebhookSecretSealer sealer() {
    return [this](std::string_view account, std::string_view id, std::string_view plain) {
      return seal_webhook_secret(plain, master_, random_, account, id);
    };
  }
  int alerts_version() {
    std::lock_guard lock(store_->mutex());
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(store_->handle(), "SELECT version FROM component_migrations WHERE component = 'alerts'", -1,
                       &st, nullptr);
    const int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
  }

  std::filesystem::path dir_;
  SeededRandom random_{3};
  MasterKey master_{std::array<std::uint8_t, MasterKey::kSize>{5, 4, 3, 2, 1}};
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(WebhookSecretUpgrade, EncryptsThePlainSecretsAndKeepsThemUsable) {
  auto alerts = SqliteAlertStore::open(*store_, sealer());
  ASSERT_TRUE(alerts) << alerts.error().message;
  EXPECT_EQ(alerts_version(), 2);
  auto old = (*alerts)->find_webhook("acct1", "w-plain");
  ASSERT_TRUE(old && *old);
  EXPECT_TRUE((*old)->secret_sealed.starts_with("v1:"));
  EXPECT_EQ(open_webhook_secret(**old, master_).value(), kPlain);
  EXPECT_EQ((*old)->name, "old");
  EXPECT_EQ((*old)->url, "https://hooks.example.com/old");
  auto none = (*alerts)->find_webhook("acct1", "w-none");
  EXPECT_EQ((*none)->secret_sealed, "");
  // Reopening does not seal twice.
  auto again = SqliteAlertStore::open(*store_, sealer());
  ASSERT_TRUE(again);
  EXPECT_EQ(open_webhook_secret(**(*again)->find_webhook("acct1", "w-plain"), master_).value(), kPlain);
  alerts->reset();
  again->reset();
  store_.reset();
  std::string all;
  for (const char* name : {"gatehouse.db", "gatehouse.db-wal"}) {
    std::ifstream f(dir_ / name, std::ios::binary);
    all.append(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  EXPECT_EQ(all.find(kPlain), std::string::npos) << "the plain secret survived somewhere in the file";
}

TEST_F(WebhookSecretUpgrade, WithoutAMasterKeyTheDatabaseIsRefusedAndLeftAsItWas) {
  auto refused = SqliteAlertStore::open(*store_, WebhookSecretSealer{});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().slug, "no_master_key");
  EXPECT_NE(refused.error().message.find("1 plain-text webhook secret"), std::string::npos) << refused.error().message;
  EXPECT_EQ(alerts_version(), 1);
  // Rolled back: the old column is still there, plain; a later start with the key upgrades it.
  auto alerts = SqliteAlertStore::open(*store_, sealer());
  ASSERT_TRUE(alerts) << alerts.error().message;
  EXPECT_EQ(open_webhook_secret(**(*alerts)->find_webhook("acct1", "w-plain"), master_).value(), kPlain);
}

TEST_F(WebhookSecretUpgrade, AFailingSealRollsTheStepBack) {
  auto failing = [](std::string_view, std::string_view, std::string_view) -> Result<std::string> {
    return internal_error("seal_failed", "no");
  };
  ASSERT_FALSE(SqliteAlertStore::open(*store_, failing));
  EXPECT_EQ(alerts_version(), 1);
}

}  // namespace
}  // namespace gatehouse::testing
