#include "policy/app_matcher.hpp"

#include <gtest/gtest.h>

using namespace gatehouse;

TEST(AppMatcher, ExactHostBeatsWildcard) {
  AppMatcher m;
  m.add("*.example.com", 1);
  m.add("app.example.com", 2);
  EXPECT_EQ(m.match("app.example.com", "/"), 2u);
  EXPECT_EQ(m.match("other.example.com", "/"), 1u);
  EXPECT_EQ(m.match("a.b.example.com", "/"), 1u);
  EXPECT_EQ(m.match("example.com", "/"), AppMatcher::npos);
}

TEST(AppMatcher, MostSpecificWildcardWins) {
  AppMatcher m;
  m.add("*.example.com", 1);
  m.add("*.internal.example.com", 2);
  EXPECT_EQ(m.match("x.internal.example.com", "/"), 2u);
  EXPECT_EQ(m.match("x.example.com", "/"), 1u);
}

TEST(AppMatcher, LongestPathPrefixOnSegmentBoundaries) {
  AppMatcher m;
  m.add("app.example.com", 1);
  m.add("app.example.com/api", 2);
  m.add("app.example.com/api/admin/", 3);
  EXPECT_EQ(m.match("app.example.com", "/"), 1u);
  EXPECT_EQ(m.match("app.example.com", "/api"), 2u);
  EXPECT_EQ(m.match("app.example.com", "/api/v1"), 2u);
  EXPECT_EQ(m.match("app.example.com", "/apiary"), 1u);
  EXPECT_EQ(m.match("app.example.com", "/api/admin/users"), 3u);
}

TEST(AppMatcher, PrefixesIgnoreCaseUnlessTheAppAsks) {
  AppMatcher m;
  m.add("h.test", 1);
  m.add("h.test/admin", 2);
  m.add("h.test/Docs", 3, /*case_sensitive=*/true);
  EXPECT_EQ(m.match("h.test", "/ADMIN/secret"), 2u);
  EXPECT_EQ(m.match("h.test", "/Admin"), 2u);
  EXPECT_EQ(m.match("h.test", "/Docs/x"), 3u);
  EXPECT_EQ(m.match("h.test", "/docs/x"), 1u);
}

TEST(AppMatcher, StoredPrefixesAreCanonicalised) {
  AppMatcher m;
  m.add("h.test", 1);
  m.add("h.test/%61dmin/", 2);  // an older spelling: matched as /admin
  EXPECT_EQ(m.match("h.test", "/admin/x"), 2u);
}

TEST(AppMatcher, PathOnlyAppDoesNotCoverTheRestOfTheHost) {
  AppMatcher m;
  m.add("app.example.com/api", 1);
  EXPECT_EQ(m.match("app.example.com", "/api/x"), 1u);
  EXPECT_EQ(m.match("app.example.com", "/"), AppMatcher::npos);
}

TEST(AppMatcher, HostIsCaseInsensitiveAndIgnoresPortAndTrailingDot) {
  AppMatcher m;
  m.add("App.Example.com", 1);
  EXPECT_EQ(m.match("APP.example.COM:8443", "/"), 1u);
  EXPECT_EQ(m.match("app.example.com.", "/"), 1u);
  EXPECT_EQ(m.match("", "/"), AppMatcher::npos);
  EXPECT_EQ(m.match("unknown.test", "/"), AppMatcher::npos);
}

TEST(AppMatcher, NormalizeHostRefusesJunk) {
  EXPECT_EQ(AppMatcher::normalize_host("a b"), "");
  EXPECT_EQ(AppMatcher::normalize_host("user@host"), "");
  EXPECT_EQ(AppMatcher::normalize_host("Host.Test:80"), "host.test");
  EXPECT_EQ(AppMatcher::normalize_host("[::1]:8080"), "[::1]");
}
