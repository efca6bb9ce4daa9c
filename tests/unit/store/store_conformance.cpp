#include "store_conformance.hpp"

#include "sample_records.hpp"

#include <chrono>

namespace gatehouse::testing {
namespace {

using namespace std::chrono;

const Time kT0 = from_micros(1'800'000'000'000'000);
int counter = 0;

AuditEvent event(const std::string& account, const std::string& action) {
  AuditEvent e = sample_event(uuid_like(++counter + 500000), account, action, kT0);
  e.resource_id = "r";
  return e;
}

Account account(const std::string& id) { return Account{id, "acct " + id, kT0}; }

ServiceToken token(const std::string& account_id, int n, std::string name = {}) {
  return sample_token(account_id, n, kT0, std::move(name));
}

TEST_P(StoreConformance, StartsEmpty) {
  EXPECT_TRUE(store().list_accounts()->empty());
}

TEST_P(SeededStore, AccountsAreListedAndFound) {
  auto all = store().list_accounts();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*store().find_account("acct2"))->name, "acct acct2");
  EXPECT_FALSE(store().find_account("nope")->has_value());
}

TEST_P(SeededStore, ServiceTokenRoundTripsEveryField) {
  ServiceToken t = token("acct1", 1);
  t.duration = *parse_duration("forever");
  t.expires_at.reset();
  t.enabled = false;
  t.last_seen_at = kT0 + minutes(3);
  t.client_secret_version = 4;
  t.previous_secret_hash = std::string(64, 'b');
  t.previous_client_secret_expires_at = kT0 + hours(1) + microseconds(7);
  ASSERT_TRUE(store().insert_service_token(t, event("acct1", "service_token.create")));
  auto back = store().find_service_token("acct1", t.id);
  ASSERT_TRUE(back && *back);
  EXPECT_EQ(**back, t);
  auto by_client = store().find_service_token_by_client_id(t.client_id);
  ASSERT_TRUE(by_client && *by_client);
  EXPECT_EQ(**by_client, t);
}

TEST_P(SeededStore, TokensAreScopedToTheirAccount) {
  ASSERT_TRUE(store().insert_service_token(token("acct1", 1), event("acct1", "c")));
  EXPECT_FALSE(store().find_service_token("acct2", uuid_like(1))->has_value());
  EXPECT_FALSE(*store().delete_service_token("acct2", uuid_like(1), event("acct2", "d")));
  EXPECT_EQ(*store().count_service_tokens("acct1"), 1);
  EXPECT_EQ(*store().count_service_tokens("acct2"), 0);
}

TEST_P(SeededStore, DuplicateClientIdIsRefusedAndNothingIsWritten) {
  ASSERT_TRUE(store().insert_service_token(token("acct1", 1), event("acct1", "c")));
  ServiceToken dup = token("acct1", 2);
  dup.client_id = token("acct1", 1).client_id;
  EXPECT_FALSE(store().insert_service_token(dup, event("acct1", "c")));
  EXPECT_EQ(*store().count_service_tokens("acct1"), 1);
  EXPECT_EQ(store().list_audit_events("acct1", {1, 100})->total_count, 2);  // account + first create
}

TEST_P(SeededStore, UpdateChecksTheRevision) {
  ServiceToken t = token("acct1", 1);
  ASSERT_TRUE(store().insert_service_token(t, event("acct1", "c")));
  ServiceToken changed = t;
  changed.name = "renamed";
  changed.revision = 2;
  EXPECT_TRUE(*store().update_service_token(changed, event("acct1", "u")));
  // A writer that read revision 1 loses: nothing changes, no audit event.
  ServiceToken stale = t;
  stale.name = "stale";
  stale.revision = 2;
  EXPECT_FALSE(*store().update_service_token(stale, event("acct1", "u")));
  EXPECT_EQ((*store().find_service_token("acct1", t.id))->name, "renamed");
  EXPECT_EQ(store().list_audit_events("acct1", {1, 100})->total_count, 3);
}

TEST_P(SeededStore, UpdateOfAMissingTokenWritesNothing) {
  ServiceToken ghost = token("acct1", 9);
  ghost.revision = 2;
  EXPECT_FALSE(*store().update_service_token(ghost, event("acct1", "u")));
  EXPECT_EQ(store().list_audit_events("acct1", {1, 100})->total_count, 1);
}

TEST_P(SeededStore, DeleteRemovesAndAudits) {
  ASSERT_TRUE(store().insert_service_token(token("acct1", 1), event("acct1", "c")));
  EXPECT_TRUE(*store().delete_service_token("acct1", uuid_like(1), event("acct1", "d")));
  EXPECT_FALSE(store().find_service_token("acct1", uuid_like(1))->has_value());
  EXPECT_FALSE(*store().delete_service_token("acct1", uuid_like(1), event("acct1", "d")));
  auto log = store().list_audit_events("acct1", {1, 100});
  ASSERT_EQ(log->total_count, 3);
  EXPECT_EQ(log->items.front().action, "d");  // newest first
}

TEST_P(SeededStore, ListPagesInCreationOrderAndPastTheEndIsEmpty) {
  for (int i = 1; i <= 25; ++i) ASSERT_TRUE(store().insert_service_token(token("acct1", i), event("acct1", "c")));
  ServiceTokenQuery q{"acct1", {}, {}, {1, 10}};
  auto p1 = store().list_service_tokens(q);
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->total_count, 25);
  ASSERT_EQ(p1->items.size(), 10u);
  EXPECT_EQ(p1->items.front().id, uuid_like(1));
  q.page = {3, 10};
  EXPECT_EQ(store().list_service_tokens(q)->items.size(), 5u);
  EXPECT_EQ(store().list_service_tokens(q)->items.back().id, uuid_like(25));
  q.page = {4, 10};
  auto past = store().list_service_tokens(q);
  EXPECT_TRUE(past->items.empty());
  EXPECT_EQ(past->total_count, 25);
}

TEST_P(SeededStore, FiltersByExactNameAndSubstring) {
  ASSERT_TRUE(store().insert_service_token(token("acct1", 1, "deploy-prod"), event("acct1", "c")));
  ASSERT_TRUE(store().insert_service_token(token("acct1", 2, "deploy-staging"), event("acct1", "c")));
  ASSERT_TRUE(store().insert_service_token(token("acct1", 3, "100%_sure"), event("acct1", "c")));
  auto exact = store().list_service_tokens({"acct1", "deploy-prod", {}, {1, 20}});
  ASSERT_EQ(exact->items.size(), 1u);
  EXPECT_EQ(exact->total_count, 1);
  EXPECT_EQ(store().list_service_tokens({"acct1", {}, "deploy", {1, 20}})->items.size(), 2u);
  // LIKE wildcards in the search text are literal.
  EXPECT_EQ(store().list_service_tokens({"acct1", {}, "%_", {1, 20}})->items.size(), 1u);
  EXPECT_EQ(store().list_service_tokens({"acct1", {}, "_", {1, 20}})->items.size(), 1u);
  EXPECT_EQ(store().list_service_tokens({"acct1", {}, "-", {1, 20}})->items.size(), 2u);
  // Search also matches the client id.
  EXPECT_EQ(store().list_service_tokens({"acct1", {}, token("acct1", 2).client_id, {1, 20}})->items.size(), 1u);
}

TEST_P(SeededStore, ApiTokensAreFoundByHashAndRevokedOnce) {
  ApiToken t{"11111111-1111-4111-8111-111111111111", "acct1", "ci", Scope::edit, std::string(64, 'c'), kT0, kT0 + hours(1), {}};
  ASSERT_TRUE(store().create_api_token(t, event("acct1", "api_token.create")));
  auto found = store().find_api_token_by_hash(std::string(64, 'c'));
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->name, "ci");
  EXPECT_EQ((*found)->scope, Scope::edit);
  EXPECT_EQ(*(*found)->expires_at, kT0 + hours(1));
  EXPECT_FALSE(store().find_api_token_by_hash(std::string(64, 'd'))->has_value());
  EXPECT_TRUE(*store().revoke_api_token("acct1", t.id, kT0 + minutes(1), event("acct1", "r")));
  EXPECT_FALSE(*store().revoke_api_token("acct1", t.id, kT0 + minutes(2), event("acct1", "r")));
  EXPECT_EQ(*(*store().find_api_token("acct1", t.id))->revoked_at, kT0 + minutes(1));
  EXPECT_EQ(store().list_api_tokens("acct1")->size(), 1u);
  EXPECT_TRUE(store().list_api_tokens("acct2")->empty());
}

TEST_P(SeededStore, AuditEventsKeepEveryField) {
  AuditEvent e = event("acct1", "service_token.update");
  e.before_json = "{\"name\":\"a\"}";
  e.after_json = "{\"name\":\"b\"}";
  e.resource_name = "b";
  ServiceToken t = token("acct1", 1);
  ASSERT_TRUE(store().insert_service_token(t, e));
  auto log = store().list_audit_events("acct1", {1, 1});
  ASSERT_EQ(log->items.size(), 1u);
  const auto& back = log->items.front();
  EXPECT_EQ(back.id, e.id);
  EXPECT_EQ(back.action, e.action);
  EXPECT_EQ(back.actor.name, "actor");
  EXPECT_EQ(back.before_json, e.before_json);
  EXPECT_EQ(back.after_json, e.after_json);
  EXPECT_EQ(back.when, kT0);
  EXPECT_EQ(log->total_count, 2);
  EXPECT_EQ(store().list_audit_events("acct2", {1, 10})->total_count, 1);
}

}  // namespace

void SeededStore::SetUp() {
  StoreConformance::SetUp();
  ASSERT_TRUE(store().create_account(account("acct1"), event("acct1", "account.create")));
  ASSERT_TRUE(store().create_account(account("acct2"), event("acct2", "account.create")));
}

}  // namespace gatehouse::testing
