// Store conformance: Access applications, policies and their links, organizations,
// signing keys and the snapshot loaders (store.hpp).
#include "store_conformance.hpp"

#include <chrono>

namespace gatehouse::testing {
namespace {

using namespace std::chrono;

const Time kT0 = from_micros(1'800'000'000'000'000);
int counter = 0;

std::string id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-9000-%012d", n);
  return buf;
}

AuditEvent event(const std::string& account, const std::string& action = "change") {
  AuditEvent e;
  e.id = id(++counter + 700000);
  e.account_id = account;
  e.when = kT0;
  e.actor = {"api_token", "actor-id", "actor"};
  e.action = action;
  e.resource_type = "access.app";
  e.resource_id = "r";
  e.resource_name = "n";
  e.after_json = "{}";
  e.interface = "api";
  return e;
}

std::int64_t audit_count(Store& s, const std::string& account) {
  return s.list_audit_events(account, {1, 1})->total_count;
}

App app(const std::string& account, int n) {
  App a;
  a.id = id(n);
  a.account_id = account;
  a.name = "app-" + std::to_string(n);
  a.domain = "app" + std::to_string(n) + ".example.com";
  a.origin = "http://127.0.0.1:3000";
  char aud[80];
  std::snprintf(aud, sizeof aud, "%064d", n);
  a.aud = aud;
  a.created_at = a.updated_at = kT0 + seconds(n);
  return a;
}

Policy policy(const std::string& account, int n, const std::string& app_id = {}) {
  Policy p;
  p.id = id(n);
  p.account_id = account;
  p.app_id = app_id;
  p.name = "policy-" + std::to_string(n);
  p.decision = PolicyDecision::non_identity;
  p.include = {Rule{Rule::Kind::any_valid_service_token, ""}};
  p.created_at = p.updated_at = kT0 + seconds(n);
  return p;
}

TEST_P(SeededStore, AppRoundTripsEveryField) {
  ASSERT_TRUE(store().insert_policy(policy("acct1", 101), event("acct1")));
  ASSERT_TRUE(store().insert_policy(policy("acct1", 102), event("acct1")));
  App a = app("acct1", 1);
  a.type = "self_hosted";
  a.destinations = {"api.example.com/v1", "*.apps.example.com"};
  a.session_duration = *parse_duration("2h30m");
  a.policies = {PolicyLink{id(102), 1}, PolicyLink{id(101), 5}};
  a.read_service_tokens_from_header = "Authorization";
  a.service_auth_401_redirect = true;
  a.http_only_cookie_attribute = false;
  a.same_site_cookie_attribute = SameSite::strict;
  a.path_cookie_attribute = true;
  a.custom_deny_message = "ask ops";
  a.cors_headers_json = R"({"allow_all_origins":true})";
  a.options_preflight_bypass = true;
  a.origin = "https://backend.internal:8443/base";
  a.origin_timeout = {milliseconds(1500), milliseconds(20'000), milliseconds(90'000)};
  a.tokens_revoked_before = kT0 + minutes(5) + microseconds(3);
  ASSERT_TRUE(store().insert_app(a, {}, event("acct1", "app.create")));
  auto back = store().find_app("acct1", a.id);
  ASSERT_TRUE(back && *back);
  EXPECT_EQ(**back, a);
  auto all = store().list_all_apps();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front(), a);
}

TEST_P(SeededStore, UnsetSameSiteAndDefaultsRoundTrip) {
  App a = app("acct1", 1);
  ASSERT_TRUE(store().insert_app(a, {}, event("acct1")));
  auto back = store().find_app("acct1", a.id);
  EXPECT_EQ(**back, a);
  EXPECT_FALSE((*back)->same_site_cookie_attribute.has_value());
  EXPECT_FALSE((*back)->tokens_revoked_before.has_value());
}

TEST_P(SeededStore, LinksComeBackInPrecedenceOrder) {
  for (int n : {101, 102, 103}) ASSERT_TRUE(store().insert_policy(policy("acct1", n), event("acct1")));
  App a = app("acct1", 1);
  a.policies = {PolicyLink{id(101), 30}, PolicyLink{id(102), 10}, PolicyLink{id(103), 20}};
  ASSERT_TRUE(store().insert_app(a, {}, event("acct1")));
  const auto links = (*store().find_app("acct1", a.id))->policies;
  ASSERT_EQ(links.size(), 3u);
  EXPECT_EQ(links[0], (PolicyLink{id(102), 10}));
  EXPECT_EQ(links[1], (PolicyLink{id(103), 20}));
  EXPECT_EQ(links[2], (PolicyLink{id(101), 30}));
}

TEST_P(SeededStore, AppsAreScopedToTheirAccount) {
  ASSERT_TRUE(store().insert_app(app("acct1", 1), {}, event("acct1")));
  EXPECT_FALSE(store().find_app("acct2", id(1))->has_value());
  EXPECT_FALSE(*store().delete_app("acct2", id(1), event("acct2")));
  EXPECT_EQ(store().list_apps({"acct2", {}, {}, {}, {}, {1, 20}})->total_count, 0);
  EXPECT_EQ(store().list_apps({"acct1", {}, {}, {}, {}, {1, 20}})->total_count, 1);
}

TEST_P(SeededStore, DuplicateAudIsRefusedAndNothingIsWritten) {
  ASSERT_TRUE(store().insert_app(app("acct1", 1), {}, event("acct1")));
  App dup = app("acct2", 2);
  dup.aud = app("acct1", 1).aud;
  auto r = store().insert_app(dup, {}, event("acct2"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 409);
  EXPECT_FALSE(store().find_app("acct2", dup.id)->has_value());
  EXPECT_EQ(audit_count(store(), "acct2"), 1);  // the account's own event only
}

TEST_P(SeededStore, AppWithALinkToAMissingPolicyIsRefusedWhole) {
  App a = app("acct1", 1);
  a.policies = {PolicyLink{id(999), 1}};
  ASSERT_FALSE(store().insert_app(a, {}, event("acct1")));
  EXPECT_FALSE(store().find_app("acct1", a.id)->has_value());
  EXPECT_EQ(audit_count(store(), "acct1"), 1);
}

TEST_P(SeededStore, InsertAppCreatesItsInlinePolicies) {
  App a = app("acct1", 1);
  Policy own = policy("acct1", 201, a.id);
  own.precedence = 2;
  ASSERT_TRUE(store().insert_policy(policy("acct1", 101), event("acct1")));
  a.policies = {PolicyLink{id(101), 1}, PolicyLink{own.id, 2}};
  const Policy news[] = {own};
  ASSERT_TRUE(store().insert_app(a, news, event("acct1")));
  auto back = store().find_policy("acct1", own.id);
  ASSERT_TRUE(back && *back);
  EXPECT_EQ(**back, own);
  EXPECT_EQ((*store().find_app("acct1", a.id))->policies, a.policies);
  // Relinking at another precedence moves the app-scoped policy's own precedence too.
  App moved = a;
  moved.policies = {PolicyLink{own.id, 1}, PolicyLink{id(101), 2}};
  moved.updated_at = a.updated_at + seconds(1);
  ASSERT_TRUE(*store().update_app(moved, a.updated_at, {}, event("acct1")));
  EXPECT_EQ((*store().find_policy("acct1", own.id))->precedence, 1);
  auto scoped = store().list_policies({"acct1", a.id, {1, 20}});
  ASSERT_EQ(scoped->items.size(), 1u);
  EXPECT_EQ(scoped->items.front().id, own.id);
  EXPECT_EQ(store().list_policies({"acct1", "", {1, 20}})->total_count, 1);  // reusable only
}

TEST_P(SeededStore, UpdateAppChecksUpdatedAtAndReplacesChildren) {
  for (int n : {101, 102}) ASSERT_TRUE(store().insert_policy(policy("acct1", n), event("acct1")));
  App a = app("acct1", 1);
  a.destinations = {"one.example.com"};
  a.policies = {PolicyLink{id(101), 1}};
  ASSERT_TRUE(store().insert_app(a, {}, event("acct1")));
  App changed = a;
  changed.name = "renamed";
  changed.destinations = {"two.example.com", "three.example.com"};
  changed.policies = {PolicyLink{id(102), 1}, PolicyLink{id(101), 2}};
  changed.updated_at = a.updated_at + seconds(1);
  EXPECT_TRUE(*store().update_app(changed, a.updated_at, {}, event("acct1")));
  EXPECT_EQ(**store().find_app("acct1", a.id), changed);
  // A writer that read the old version loses: nothing changes, no audit event.
  App stale = a;
  stale.name = "stale";
  stale.updated_at = a.updated_at + seconds(2);
  const auto before = audit_count(store(), "acct1");
  EXPECT_FALSE(*store().update_app(stale, a.updated_at, {}, event("acct1")));
  EXPECT_EQ((*store().find_app("acct1", a.id))->name, "renamed");
  EXPECT_EQ(audit_count(store(), "acct1"), before);
}

TEST_P(SeededStore, UnlinkingAnAppScopedPolicyDeletesIt) {
  App a = app("acct1", 1);
  Policy own = policy("acct1", 201, a.id);
  a.policies = {PolicyLink{own.id, 1}};
  const Policy news[] = {own};
  ASSERT_TRUE(store().insert_app(a, news, event("acct1")));
  ASSERT_TRUE(store().insert_policy(policy("acct1", 101), event("acct1")));
  App changed = a;
  changed.policies = {PolicyLink{id(101), 1}};
  changed.updated_at = a.updated_at + seconds(1);
  ASSERT_TRUE(*store().update_app(changed, a.updated_at, {}, event("acct1")));
  EXPECT_FALSE(store().find_policy("acct1", own.id)->has_value());
  EXPECT_TRUE(store().find_policy("acct1", id(101))->has_value());
}

TEST_P(SeededStore, UpdateAppCanAddInlinePoliciesAtomically) {
  App a = app("acct1", 1);
  ASSERT_TRUE(store().insert_app(a, {}, event("acct1")));
  App changed = a;
  Policy own = policy("acct1", 201, a.id);
  changed.policies = {PolicyLink{own.id, 1}};
  changed.updated_at = a.updated_at + seconds(1);
  const Policy news[] = {own};
  // Stale: neither the app nor the new policy is written.
  EXPECT_FALSE(*store().update_app(changed, a.updated_at - seconds(1), news, event("acct1")));
  EXPECT_FALSE(store().find_policy("acct1", own.id)->has_value());
  EXPECT_TRUE(*store().update_app(changed, a.updated_at, news, event("acct1")));
  EXPECT_TRUE(store().find_policy("acct1", own.id)->has_value());
}

TEST_P(SeededStore, DeleteAppTakesItsOwnPoliciesAndKeepsReusableOnes) {
  App a = app("acct1", 1);
  Policy own = policy("acct1", 201, a.id);
  ASSERT_TRUE(store().insert_policy(policy("acct1", 101), event("acct1")));
  a.policies = {PolicyLink{id(101), 1}, PolicyLink{own.id, 2}};
  const Policy news[] = {own};
  ASSERT_TRUE(store().insert_app(a, news, event("acct1")));
  EXPECT_TRUE(*store().delete_app("acct1", a.id, event("acct1", "app.delete")));
  EXPECT_FALSE(store().find_app("acct1", a.id)->has_value());
  EXPECT_FALSE(store().find_policy("acct1", own.id)->has_value());
  EXPECT_TRUE(store().find_policy("acct1", id(101))->has_value());
  EXPECT_TRUE(store().apps_linking_policy("acct1", id(101))->empty());
  EXPECT_FALSE(*store().delete_app("acct1", a.id, event("acct1")));
}

TEST_P(SeededStore, ListAppsPagesAndFilters) {
  for (int i = 1; i <= 12; ++i) ASSERT_TRUE(store().insert_app(app("acct1", i), {}, event("acct1")));
  auto p1 = store().list_apps({"acct1", {}, {}, {}, {}, {1, 5}});
  ASSERT_EQ(p1->items.size(), 5u);
  EXPECT_EQ(p1->total_count, 12);
  EXPECT_EQ(p1->items.front().id, id(1));
  auto p3 = store().list_apps({"acct1", {}, {}, {}, {}, {3, 5}});
  ASSERT_EQ(p3->items.size(), 2u);
  EXPECT_EQ(p3->items.back().id, id(12));
  EXPECT_TRUE(store().list_apps({"acct1", {}, {}, {}, {}, {4, 5}})->items.empty());
  EXPECT_EQ(store().list_apps({"acct1", "app-3", {}, {}, {}, {1, 20}})->items.size(), 1u);
  EXPECT_EQ(store().list_apps({"acct1", {}, "app7.example.com", {}, {}, {1, 20}})->items.front().id, id(7));
  EXPECT_EQ(store().list_apps({"acct1", {}, {}, app("acct1", 9).aud, {}, {1, 20}})->items.front().id, id(9));
  EXPECT_EQ(store().list_apps({"acct1", {}, {}, {}, "app1", {1, 20}})->total_count, 4);  // 1, 10, 11, 12
  EXPECT_EQ(store().list_apps({"acct1", {}, {}, {}, "%", {1, 20}})->total_count, 0);
}

TEST_P(SeededStore, PolicyRoundTripsEveryFieldAndRuleOrder) {
  Policy p = policy("acct1", 101);
  p.decision = PolicyDecision::bypass;
  p.include = {Rule{Rule::Kind::service_token, id(5)}, Rule{Rule::Kind::ip, "10.0.0.0/8"},
               Rule{Rule::Kind::email, "a@example.com"}};
  p.exclude = {Rule{Rule::Kind::ip, "2001:db8::/32"}, Rule{Rule::Kind::everyone, ""}};
  p.require = {Rule{Rule::Kind::email_domain, "example.com"}, Rule{Rule::Kind::common_name, "cn"}};
  p.precedence = 7;
  p.session_duration = *parse_duration("45m");
  ASSERT_TRUE(store().insert_policy(p, event("acct1", "policy.create")));
  EXPECT_EQ(**store().find_policy("acct1", p.id), p);
  EXPECT_FALSE(store().find_policy("acct2", p.id)->has_value());
  auto all = store().list_all_policies();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front(), p);
}

TEST_P(SeededStore, UpdatePolicyReplacesRulesAndChecksUpdatedAt) {
  Policy p = policy("acct1", 101);
  p.session_duration = *parse_duration("1h");
  ASSERT_TRUE(store().insert_policy(p, event("acct1")));
  Policy changed = p;
  changed.name = "renamed";
  changed.decision = PolicyDecision::deny;
  changed.include = {Rule{Rule::Kind::everyone, ""}};
  changed.exclude = {Rule{Rule::Kind::ip, "192.0.2.1"}};
  changed.session_duration.reset();
  changed.updated_at = p.updated_at + seconds(1);
  EXPECT_TRUE(*store().update_policy(changed, p.updated_at, event("acct1")));
  EXPECT_EQ(**store().find_policy("acct1", p.id), changed);
  Policy stale = p;
  stale.updated_at = p.updated_at + seconds(2);
  EXPECT_FALSE(*store().update_policy(stale, p.updated_at, event("acct1")));
  EXPECT_EQ(**store().find_policy("acct1", p.id), changed);
}

TEST_P(SeededStore, AppScopedPolicyIsLinkedAtItsPrecedence) {
  App a = app("acct1", 1);
  ASSERT_TRUE(store().insert_policy(policy("acct1", 101), event("acct1")));
  a.policies = {PolicyLink{id(101), 1}};
  ASSERT_TRUE(store().insert_app(a, {}, event("acct1")));
  Policy own = policy("acct1", 201, a.id);
  own.precedence = 2;
  ASSERT_TRUE(store().insert_policy(own, event("acct1")));
  EXPECT_EQ((*store().find_app("acct1", a.id))->policies,
            (std::vector<PolicyLink>{{id(101), 1}, {own.id, 2}}));
  // Moving it before the reusable one reorders the links.
  Policy moved = own;
  moved.precedence = 0;
  moved.updated_at = own.updated_at + seconds(1);
  ASSERT_TRUE(*store().update_policy(moved, own.updated_at, event("acct1")));
  EXPECT_EQ((*store().find_app("acct1", a.id))->policies,
            (std::vector<PolicyLink>{{own.id, 0}, {id(101), 1}}));
  // A precedence another link holds is a conflict, and nothing changes.
  Policy clash = moved;
  clash.precedence = 1;
  clash.updated_at = moved.updated_at + seconds(1);
  auto r = store().update_policy(clash, moved.updated_at, event("acct1"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 409);
  EXPECT_EQ((*store().find_policy("acct1", own.id))->precedence, 0);
  // Deleting it removes its link.
  EXPECT_TRUE(*store().delete_policy("acct1", own.id, event("acct1")));
  EXPECT_EQ((*store().find_app("acct1", a.id))->policies, (std::vector<PolicyLink>{{id(101), 1}}));
}

TEST_P(SeededStore, AReusablePolicyInUseIsNotDeleted) {
  ASSERT_TRUE(store().insert_policy(policy("acct1", 101), event("acct1")));
  App a = app("acct1", 1);
  App b = app("acct1", 2);
  a.policies = b.policies = {PolicyLink{id(101), 1}};
  ASSERT_TRUE(store().insert_app(a, {}, event("acct1")));
  ASSERT_TRUE(store().insert_app(b, {}, event("acct1")));
  EXPECT_EQ(*store().apps_linking_policy("acct1", id(101)),
            (std::vector<AppRef>{{a.id, a.name}, {b.id, b.name}}));
  EXPECT_TRUE(store().apps_linking_policy("acct2", id(101))->empty());
  const auto before = audit_count(store(), "acct1");
  auto r = store().delete_policy("acct1", id(101), event("acct1"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 409);
  EXPECT_EQ(r.error().slug, "policy_in_use");
  EXPECT_TRUE(store().find_policy("acct1", id(101))->has_value());
  EXPECT_EQ(audit_count(store(), "acct1"), before);
  ASSERT_TRUE(*store().delete_app("acct1", a.id, event("acct1")));
  ASSERT_TRUE(*store().delete_app("acct1", b.id, event("acct1")));
  EXPECT_TRUE(*store().delete_policy("acct1", id(101), event("acct1")));
  EXPECT_FALSE(*store().delete_policy("acct1", id(101), event("acct1")));
}

TEST_P(SeededStore, ListPoliciesPages) {
  for (int i = 1; i <= 7; ++i) ASSERT_TRUE(store().insert_policy(policy("acct1", 100 + i), event("acct1")));
  auto p2 = store().list_policies({"acct1", "", {2, 3}});
  EXPECT_EQ(p2->total_count, 7);
  ASSERT_EQ(p2->items.size(), 3u);
  EXPECT_EQ(p2->items.front().id, id(104));
  EXPECT_TRUE(store().list_policies({"acct1", "", {4, 3}})->items.empty());
  EXPECT_EQ(store().list_policies({"acct2", "", {1, 3}})->total_count, 0);
}

Organization org(const std::string& account) {
  Organization o;
  o.account_id = account;
  o.name = "Org " + account;
  o.auth_domain = account + ".gatehouse.internal";
  o.created_at = o.updated_at = kT0;
  return o;
}

TEST_P(SeededStore, OrganizationIsInsertedOnceAndUpdatedWithTheCheck) {
  // A backend may create defaults for existing accounts (the SQLite migration does);
  // start from a known row either way.
  Organization o = org("acct1");
  o.session_duration = *parse_duration("12h");
  o.strict_service_token_auth = true;
  o.service_token_inactivity = {true, 45, "delete"};
  o.key_rotation_interval_days = 30;
  o.last_key_rotation_at = kT0 + hours(1);
  auto existing = store().find_organization("acct1");
  ASSERT_TRUE(existing);
  if (*existing) {
    o.created_at = (*existing)->created_at;
    o.updated_at = (*existing)->updated_at + seconds(1);
    ASSERT_TRUE(*store().update_organization(o, (*existing)->updated_at, event("acct1")));
  } else {
    ASSERT_TRUE(*store().insert_organization(o, event("acct1")));
  }
  EXPECT_EQ(**store().find_organization("acct1"), o);
  EXPECT_FALSE(*store().insert_organization(org("acct1"), event("acct1")));
  EXPECT_EQ(**store().find_organization("acct1"), o);
  Organization changed = o;
  changed.auth_domain = "team.example.com";
  changed.updated_at = o.updated_at + seconds(1);
  EXPECT_FALSE(*store().update_organization(changed, o.updated_at - seconds(1), event("acct1")));
  EXPECT_TRUE(*store().update_organization(changed, o.updated_at, event("acct1")));
  EXPECT_EQ(**store().find_organization("acct1"), changed);
  auto all = store().list_organizations();
  ASSERT_TRUE(all);
  bool seen = false;
  for (const auto& each : *all) seen = seen || each == changed;
  EXPECT_TRUE(seen);
}

TEST_P(StoreConformance, OrganizationOfANewAccountCanBeInserted) {
  AuditEvent e = event("acct9");
  ASSERT_TRUE(store().create_account(Account{"acct9", "nine", kT0}, e));
  if (!store().find_organization("acct9")->has_value()) {
    EXPECT_TRUE(*store().insert_organization(org("acct9"), event("acct9")));
  }
  EXPECT_TRUE(store().find_organization("acct9")->has_value());
  EXPECT_FALSE(store().find_organization("nobody")->has_value());
}

StoredSigningKey key(const std::string& account, int n) {
  StoredSigningKey k;
  k.kid = std::string(62, 'k') + std::to_string(10 + n);
  k.account_id = account;
  k.private_key_encrypted = "ciphertext-" + std::to_string(n);
  k.public_key_pem = "-----BEGIN PUBLIC KEY-----\n" + std::to_string(n);
  k.certificate_pem = "-----BEGIN CERTIFICATE-----\n" + std::to_string(n);
  k.created_at = kT0 + hours(n);
  return k;
}

TEST_P(SeededStore, SigningKeysAreListedRetiredOnceAndDeleted) {
  ASSERT_TRUE(store().insert_signing_key(key("acct1", 2), event("acct1", "key.create")));
  ASSERT_TRUE(store().insert_signing_key(key("acct1", 1), event("acct1", "key.create")));
  ASSERT_TRUE(store().insert_signing_key(key("acct2", 3), event("acct2", "key.create")));
  EXPECT_FALSE(store().insert_signing_key(key("acct1", 1), event("acct1")));  // same kid
  auto mine = store().list_signing_keys("acct1");
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ(mine->front(), key("acct1", 1));  // oldest first
  EXPECT_TRUE(*store().retire_signing_key("acct1", key("acct1", 1).kid, kT0 + hours(9), event("acct1")));
  EXPECT_FALSE(*store().retire_signing_key("acct1", key("acct1", 1).kid, kT0 + hours(10), event("acct1")));
  EXPECT_FALSE(*store().retire_signing_key("acct2", key("acct1", 2).kid, kT0 + hours(10), event("acct2")));
  EXPECT_EQ(*store().list_signing_keys("acct1")->front().retired_at, kT0 + hours(9));
  EXPECT_EQ(store().list_all_signing_keys()->size(), 3u);
  EXPECT_FALSE(*store().delete_signing_key("acct2", key("acct1", 1).kid, event("acct2")));
  EXPECT_TRUE(*store().delete_signing_key("acct1", key("acct1", 1).kid, event("acct1")));
  EXPECT_EQ(store().list_signing_keys("acct1")->size(), 1u);
  auto all = store().list_all_signing_keys();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], key("acct1", 2));
  EXPECT_EQ((*all)[1], key("acct2", 3));
}

TEST_P(SeededStore, SnapshotLoadersSeeEveryAccount) {
  ASSERT_TRUE(store().insert_app(app("acct1", 1), {}, event("acct1")));
  ASSERT_TRUE(store().insert_app(app("acct2", 2), {}, event("acct2")));
  ASSERT_TRUE(store().insert_policy(policy("acct1", 101), event("acct1")));
  ASSERT_TRUE(store().insert_policy(policy("acct2", 102), event("acct2")));
  ServiceToken t;
  t.account_id = "acct2";
  t.id = id(301);
  t.name = "t";
  t.client_id = std::string(32, '3') + ".access";
  t.duration = *parse_duration("1h");
  t.created_at = t.updated_at = kT0;
  t.secret_hash = std::string(64, 'a');
  t.revision = 1;
  ASSERT_TRUE(store().insert_service_token(t, event("acct2")));
  EXPECT_EQ(store().list_all_apps()->size(), 2u);
  EXPECT_EQ(store().list_all_policies()->size(), 2u);
  auto tokens = store().list_all_service_tokens();
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ(tokens->front(), t);
}

TEST_P(SeededStore, EveryChangeIsAudited) {
  const auto start = audit_count(store(), "acct1");
  App a = app("acct1", 1);
  ASSERT_TRUE(store().insert_policy(policy("acct1", 101), event("acct1")));
  ASSERT_TRUE(store().insert_app(a, {}, event("acct1")));
  App changed = a;
  changed.updated_at += seconds(1);
  ASSERT_TRUE(*store().update_app(changed, a.updated_at, {}, event("acct1")));
  ASSERT_TRUE(*store().delete_app("acct1", a.id, event("acct1")));
  ASSERT_TRUE(*store().delete_policy("acct1", id(101), event("acct1")));
  ASSERT_TRUE(store().insert_signing_key(key("acct1", 1), event("acct1")));
  EXPECT_EQ(audit_count(store(), "acct1"), start + 6);
}

}  // namespace
}  // namespace gatehouse::testing
