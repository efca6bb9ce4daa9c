// Forward-auth fails closed: the original request is described once, completely and
// consistently, or the subrequest is a 400 (edge/forward_auth_request.hpp).
#include "edge/forward_auth_request.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace gatehouse::edge {
namespace {

struct Head {
  std::vector<HeaderRef> headers;
  RequestHead head() const {
    RequestHead h;
    h.method = "GET";
    h.target = "/cdn-cgi/access/authorize";
    h.headers = headers;
    h.remote_ip = "127.0.0.1";
    return h;
  }
};

std::string slug_of(const Head& h) {
  const auto r = read_forward_auth_request(h.head());
  if (const auto* e = std::get_if<ForwardAuthError>(&r)) return e->slug;
  return "ok";
}

TEST(ForwardAuthRequest, ReadsTheUsualHeaders) {
  Head h{{{"X-Forwarded-Host", "app.test"}, {"X-Forwarded-Uri", "/x?y=1"}, {"X-Forwarded-Proto", "https"},
          {"X-Forwarded-Method", "POST"}}};
  const auto r = std::get<ForwardAuthRequest>(read_forward_auth_request(h.head()));
  EXPECT_EQ(r.host, "app.test");
  EXPECT_EQ(r.uri, "/x?y=1");
  EXPECT_TRUE(r.tls);
  EXPECT_EQ(r.method, "POST");
}

TEST(ForwardAuthRequest, AcceptsNginxOriginalUriAndAbsoluteOrRelativeOriginalUrl) {
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "app.test"}, {"X-Original-URI", "/admin"}}}), "ok");
  const auto r = std::get<ForwardAuthRequest>(
      read_forward_auth_request(Head{{{"X-Original-URL", "https://App.Test:8443/admin?q"}}}.head()));
  EXPECT_EQ(r.host, "App.Test:8443");
  EXPECT_EQ(r.uri, "/admin?q");
  EXPECT_TRUE(r.tls);
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "app.test"}, {"X-Original-URL", "/admin"}}}), "ok");
  const auto q = std::get<ForwardAuthRequest>(read_forward_auth_request(Head{{{"X-Original-URL", "http://h?x=1"}}}.head()));
  EXPECT_EQ(q.uri, "/?x=1");
}

TEST(ForwardAuthRequest, AMissingHostOrUriIsIncomplete) {
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "app.test"}}}), "forward_auth_incomplete");
  EXPECT_EQ(slug_of({{{"X-Forwarded-Uri", "/x"}}}), "forward_auth_incomplete");
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "app.test"}, {"X-Forwarded-Uri", ""}}}), "forward_auth_incomplete");
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", ""}, {"X-Forwarded-Uri", "/x"}}}), "forward_auth_incomplete");
  // A relative X-Original-URL names no host.
  EXPECT_EQ(slug_of({{{"X-Original-URL", "/admin"}}}), "forward_auth_incomplete");
}

TEST(ForwardAuthRequest, DuplicatesAndDisagreementsAreConflicts) {
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "a.test"}, {"X-Forwarded-Host", "b.test"}, {"X-Forwarded-Uri", "/"}}}),
            "forward_auth_conflict");
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "a.test"}, {"X-Forwarded-Uri", "/"}, {"X-Forwarded-Uri", "/admin"}}}),
            "forward_auth_conflict");
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "a.test"}, {"X-Forwarded-Uri", "/public"}, {"X-Original-URI", "/admin"}}}),
            "forward_auth_conflict");
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "a.test"}, {"X-Forwarded-Uri", "/public"},
                      {"X-Original-URL", "https://a.test/admin"}}}),
            "forward_auth_conflict");
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "a.test"}, {"X-Original-URL", "https://b.test/x"}}}), "forward_auth_conflict");
  EXPECT_EQ(slug_of({{{"X-Forwarded-Proto", "http"}, {"X-Original-URL", "https://a.test/x"}}}), "forward_auth_conflict");
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "a.test"}, {"X-Forwarded-Uri", "/"}, {"X-Forwarded-Method", "GET"},
                      {"X-Forwarded-Method", "OPTIONS"}}}),
            "forward_auth_conflict");
  // Agreeing sources are fine, host compared without case and trailing dot.
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "A.test."}, {"X-Forwarded-Uri", "/x"}, {"X-Original-URL", "http://a.test/x"}}}),
            "ok");
}

TEST(ForwardAuthRequest, UnreadableValuesAreMalformed) {
  EXPECT_EQ(slug_of({{{"X-Original-URL", "ftp://a.test/x"}}}), "forward_auth_malformed");
  EXPECT_EQ(slug_of({{{"X-Original-URL", "https://user@a.test/x"}}}), "forward_auth_malformed");
  EXPECT_EQ(slug_of({{{"X-Original-URL", "//a.test/x"}}}), "forward_auth_malformed");
  EXPECT_EQ(slug_of({{{"X-Forwarded-Host", "a.test"}, {"X-Forwarded-Uri", "/"}, {"X-Forwarded-Proto", "gopher"}}}),
            "forward_auth_malformed");
}

}  // namespace
}  // namespace gatehouse::edge
