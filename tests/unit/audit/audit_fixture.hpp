#pragma once
// A real database in a temporary directory with one account, the services on a
// FakeClock, and the access-log store.
#include "crypto/crypto.hpp"
#include "service/organization.hpp"
#include "service/services.hpp"
#include "store/sqlite_access_log.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace gatehouse::audit::testing {

using namespace std::chrono;

inline const Time kT0 = from_micros(1'800'000'000'000'000);

class AuditFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    static int n = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("gatehouse-audit-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = SqliteStore::open((dir_ / "gatehouse.db").string());
    ASSERT_TRUE(s) << s.error().message;
    store = std::move(*s);
    auto l = SqliteAccessLogStore::open(*store);
    ASSERT_TRUE(l) << l.error().message;
    log_store = std::move(*l);
    services = std::make_unique<Services>(Services{*store, clock, random});
    auto boot = bootstrap_if_empty(*services);
    ASSERT_TRUE(boot && *boot);
    account = (*boot)->account.id;
  }
  void TearDown() override {
    services.reset();
    log_store.reset();
    store.reset();
    std::filesystem::remove_all(dir_);
  }

  PageOf<AuditEvent> audit_events(const std::string& action) {
    AuditQuery q;
    q.account_id = account;
    q.action = action;
    auto r = store->query_audit_events(q);
    EXPECT_TRUE(r) << r.error().message;
    return *r;
  }

  ServiceToken create_token(const std::string& name) {
    auto c = create_service_token(*services, admin, account, NewServiceToken{name, *parse_duration("8760h"), true});
    EXPECT_TRUE(c) << (c ? "" : c.error().message);
    return c->token;
  }

  FakeClock clock{kT0};
  OsRandom random;
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<SqliteAccessLogStore> log_store;
  std::unique_ptr<Services> services;
  std::string account;
  const Actor admin{"api_token", "test-token", "test"};

 private:
  std::filesystem::path dir_;
};

}  // namespace gatehouse::audit::testing
