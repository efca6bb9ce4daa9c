// The query strings of …/access/logs/access_requests and …/audit_logs: every bad or
// unknown parameter is a 400 that names it.
#include "admin/log_filters.hpp"

#include <gtest/gtest.h>

namespace gatehouse::admin {
namespace {

Target target(const std::string& query) {
  auto t = parse_target("/x?" + query);
  EXPECT_TRUE(t);
  return *t;
}

TEST(AccessRequestFilters, ReadsEveryFilter) {
  auto q = access_request_query(
      target("since=2026-01-01T00:00:00Z&until=2026-01-02T00:00:00Z&direction=asc&page=2&per_page=50"
             "&service_token_name=ci&token_id=abc&client_id=cid&app=App.Example.com&app_id=x&allowed=false"
             "&reason=bad_secret&ray_id=r&ip_address=192.0.2.1"),
      "acct");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->account_id, "acct");
  EXPECT_EQ(format_rfc3339(*q->since), "2026-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(*q->until), "2026-01-02T00:00:00Z");
  EXPECT_TRUE(q->ascending);
  EXPECT_EQ(q->page.page, 2);
  EXPECT_EQ(q->page.per_page, 50);
  EXPECT_EQ(q->token_name, "ci");
  EXPECT_EQ(q->token_id, "abc");
  EXPECT_EQ(q->client_id, "cid");
  EXPECT_EQ(q->apps, (std::vector<std::string>{"app.example.com", "x"}));
  EXPECT_EQ(q->allowed, false);
  EXPECT_EQ(q->reason, "bad_secret");
}

TEST(AccessRequestFilters, AliasesAndLimit) {
  auto q = access_request_query(target("name=ci&service_token_id=t&limit=7"), "a");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->token_name, "ci");
  EXPECT_EQ(q->token_id, "t");
  EXPECT_EQ(q->page.per_page, 7);
  EXPECT_FALSE(q->ascending);
  q = access_request_query(target("limit=7&per_page=5"), "a");
  EXPECT_EQ(q->page.per_page, 5);
}

TEST(AccessRequestFilters, BadFiltersAreOne400NamingEachOfThem) {
  auto q = access_request_query(target("since=yesterday&allowed=maybe&direction=up&limit=0&tokne=ci"), "a");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().http_status, 400);
  EXPECT_EQ(q.error().slug, "invalid_filter");
  for (const char* name : {"since", "allowed", "direction", "limit", "\"tokne\""})
    EXPECT_NE(q.error().message.find(name), std::string::npos) << name << " in " << q.error().message;
}

TEST(AccessRequestFilters, BadPagingAloneKeepsThePaginationSlugOfEveryList) {
  auto q = access_request_query(target("per_page=1001"), "a");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().slug, "invalid_pagination");
  EXPECT_EQ(audit_query(target("page=0"), "a").error().slug, "invalid_pagination");
}

TEST(AccessRequestFilters, SinceAfterUntilIsRefused) {
  auto q = access_request_query(target("since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z"), "a");
  ASSERT_FALSE(q);
  EXPECT_NE(q.error().message.find("since must not be after until"), std::string::npos);
}

TEST(AuditFilters, ReadsFiltersAndRefusesUnknownOnes) {
  auto q = audit_query(target("action.type=service_token.disable&resource_id=r&actor=system&before=2026-01-01T00:00:00Z"),
                       "a");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->action, "service_token.disable");
  EXPECT_EQ(q->resource_id, "r");
  EXPECT_EQ(q->actor, "system");
  EXPECT_TRUE(q->until);
  auto bad = audit_query(target("acton=x"), "a");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("acton"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::admin
