// admin/admin_origin.hpp and check_same_origin (admin/session_auth.hpp): a
// state-changing dashboard request is accepted only from the origins fixed at start-up,
// whatever Host header it carries.
#include "admin/admin_origin.hpp"
#include "admin/session_auth.hpp"

#include <gtest/gtest.h>

namespace gatehouse::admin {
namespace {

http::Request write_from(std::vector<http::Header> extra, std::string host = "127.0.0.1:9000") {
  http::Request r;
  r.method = "POST";
  r.target = "/client/v4/accounts/a/access/service_tokens";
  r.headers = {{"Host", std::move(host)}, {"X-Gatehouse-CSRF", "1"}};
  for (auto& h : extra) r.headers.push_back(std::move(h));
  return r;
}

void expect_refused(const Result<void>& r, std::string_view says = {}) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 403);
  EXPECT_EQ(r.error().slug, "cross_site_request");
  if (!says.empty()) {
    EXPECT_NE(r.error().message.find(says), std::string::npos) << r.error().message;
  }
}

const AdminOrigins kLoopback = origins_for_listener("127.0.0.1:9000", false);
const AdminOrigins kPublic = origins_for_public_url(parse_public_url("https://gh.example.com").value());

TEST(AdminOrigins, ALoopbackListenerAcceptsTheLoopbackNamesOnItsPort) {
  EXPECT_EQ(kLoopback.accepted,
            (std::vector<std::string>{"http://localhost:9000", "http://127.0.0.1:9000", "http://[::1]:9000"}));
  EXPECT_FALSE(kLoopback.secure_cookie);
  EXPECT_EQ(origins_for_listener("[::1]:9000", false).accepted, kLoopback.accepted);
}

TEST(AdminOrigins, AWildcardListenerAcceptsOnlyTheLoopbackNames) {
  EXPECT_EQ(origins_for_listener("0.0.0.0:9000", false).accepted, kLoopback.accepted);
  EXPECT_EQ(origins_for_listener("[::]:9000", false).accepted, kLoopback.accepted);
}

TEST(AdminOrigins, AnotherLoopbackAddressIsAcceptedToo) {
  auto o = origins_for_listener("127.0.0.2:9000", false);
  EXPECT_TRUE(o.accepts("http://127.0.0.2:9000"));
  EXPECT_TRUE(o.accepts("http://localhost:9000"));
}

TEST(AdminOrigins, ASpecificAddressIsItsOwnOriginAlone) {
  EXPECT_EQ(origins_for_listener("192.0.2.10:9000", false).accepted,
            (std::vector<std::string>{"http://192.0.2.10:9000"}));
  EXPECT_EQ(origins_for_listener("[2001:db8::1]:9000", false).accepted,
            (std::vector<std::string>{"http://[2001:db8::1]:9000"}));
  EXPECT_EQ(origins_for_listener("192.0.2.10:80", false).accepted, (std::vector<std::string>{"http://192.0.2.10"}));
  EXPECT_EQ(origins_for_listener("192.0.2.10:443", true).accepted, (std::vector<std::string>{"https://192.0.2.10"}));
}

TEST(PublicUrl, IsNormalised) {
  EXPECT_EQ(parse_public_url("HTTPS://GH.Example.COM:443/").value(), "https://gh.example.com");
  EXPECT_EQ(parse_public_url("http://gh.example.com:80").value(), "http://gh.example.com");
  EXPECT_EQ(parse_public_url("https://gh.example.com:8443").value(), "https://gh.example.com:8443");
  EXPECT_EQ(parse_public_url("http://[0:0::1]:9000").value(), "http://[::1]:9000");
  EXPECT_TRUE(kPublic.secure_cookie);
  EXPECT_FALSE(origins_for_public_url("http://gh.example.com").secure_cookie);
}

TEST(PublicUrl, RefusesWhatIsNotAnOriginNamingTheProblem) {
  const std::pair<const char*, const char*> bad[] = {
      {"ftp://gh.example.com", "http:// or https://"},
      {"gh.example.com", "absolute URL"},
      {"https://gh.example.com/dashboard", "no path beyond"},
      {"https://gh.example.com/?x=1", "query"},
      {"https://gh.example.com/#top", "fragment"},
      {"https://admin:hunter2@gh.example.com", "user:password@"},
      {"https://gh.example.com:0", "port"},
      {"https://gh.example.com:65536", "port"},
      {"https://", "no host"},
  };
  for (const auto& [url, says] : bad) {
    auto r = parse_public_url(url);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().slug, "invalid_public_url");
    EXPECT_NE(r.error().message.find(says), std::string::npos) << url << ": " << r.error().message;
  }
  EXPECT_EQ(parse_public_url("https://admin:hunter2@gh.example.com").error().message.find("hunter2"),
            std::string::npos);
}

TEST(SameOrigin, AcceptsAnEqualOrigin) {
  EXPECT_TRUE(check_same_origin(write_from({{"Origin", "http://127.0.0.1:9000"}}), kLoopback));
  EXPECT_TRUE(check_same_origin(write_from({{"Origin", "http://localhost:9000"}}, "localhost:9000"), kLoopback));
  EXPECT_TRUE(check_same_origin(write_from({{"Origin", "HTTP://[::1]:9000"}}), kLoopback));
  EXPECT_TRUE(check_same_origin(write_from({{"Origin", "https://gh.example.com"}}), kPublic));
  EXPECT_TRUE(check_same_origin(write_from({{"Origin", "https://gh.example.com:443"}}), kPublic));
}

TEST(SameOrigin, RefusesAnotherHost) {
  expect_refused(check_same_origin(write_from({{"Origin", "http://evil.test:9000"}}), kLoopback), "evil.test");
  expect_refused(check_same_origin(write_from({{"Origin", "https://evil.test"}}), kPublic));
}

TEST(SameOrigin, RefusesAnotherPort) {
  expect_refused(check_same_origin(write_from({{"Origin", "http://127.0.0.1:9001"}}), kLoopback));
  expect_refused(check_same_origin(write_from({{"Origin", "https://gh.example.com:8443"}}), kPublic));
}

TEST(SameOrigin, RefusesAnotherScheme) {
  expect_refused(check_same_origin(write_from({{"Origin", "https://127.0.0.1:9000"}}), kLoopback));
  expect_refused(check_same_origin(write_from({{"Origin", "http://gh.example.com"}}), kPublic));
}

TEST(SameOrigin, AHostHeaderSpoofedToMatchAForeignOriginIsRefused) {
  // The old check built "our" origin from Host: a client that sets both wins.
  expect_refused(check_same_origin(write_from({{"Origin", "http://evil.test"}}, "evil.test"), kLoopback));
  expect_refused(check_same_origin(write_from({{"Origin", "https://evil.test"}}, "evil.test"), kPublic));
  // And a Host that is not ours does not matter when Origin is ours (a proxy rewrote it).
  EXPECT_TRUE(check_same_origin(write_from({{"Origin", "https://gh.example.com"}}, "10.0.0.5:9000"), kPublic));
}

TEST(SameOrigin, RefusesOpaqueDuplicatedOrPathCarryingOrigins) {
  expect_refused(check_same_origin(write_from({{"Origin", "null"}}), kLoopback));
  expect_refused(check_same_origin(write_from({{"Origin", "http://127.0.0.1:9000/x"}}), kLoopback));
  expect_refused(check_same_origin(
      write_from({{"Origin", "http://127.0.0.1:9000"}, {"Origin", "http://127.0.0.1:9000"}}), kLoopback));
  expect_refused(check_same_origin(write_from({{"Origin", "http://127.0.0.1:9000"}}), AdminOrigins{}));
}

TEST(SameOrigin, FallsBackToTheReferer) {
  EXPECT_TRUE(check_same_origin(write_from({{"Referer", "http://127.0.0.1:9000/"}}), kLoopback));
  EXPECT_TRUE(check_same_origin(write_from({{"Referer", "https://gh.example.com/index.html?x=1"}}), kPublic));
  expect_refused(check_same_origin(write_from({{"Referer", "https://gh.example.com.evil.test/"}}), kPublic),
                 "Referer");
  expect_refused(check_same_origin(write_from({{"Referer", "https://evil.test/https://gh.example.com/"}}), kPublic));
  // An Origin, when present, decides: a good Referer does not rescue a foreign Origin.
  expect_refused(check_same_origin(
      write_from({{"Origin", "https://evil.test"}, {"Referer", "https://gh.example.com/"}}), kPublic));
  expect_refused(check_same_origin(write_from({}), kPublic), "neither Origin nor Referer");
}

TEST(SameOrigin, StillNeedsTheCsrfHeaderAndASameOriginFetch) {
  auto r = write_from({{"Origin", "https://gh.example.com"}});
  r.headers.erase(r.headers.begin() + 1);  // X-Gatehouse-CSRF
  expect_refused(check_same_origin(r, kPublic), "X-Gatehouse-CSRF");
  expect_refused(check_same_origin(write_from({{"Origin", "https://gh.example.com"}, {"Sec-Fetch-Site", "cross-site"}}),
                                   kPublic),
                 "cross-site");
}

TEST(SessionCookie, IsSecureBehindAnHttpsPublicUrlEvenOnPlainHttp) {
  const http::Request plain = write_from({});
  EXPECT_NE(session_set_cookie("id", plain, kPublic).find("; Secure"), std::string::npos);
  EXPECT_NE(session_clear_cookie(plain, kPublic).find("; Secure"), std::string::npos);
  EXPECT_EQ(session_set_cookie("id", plain, kLoopback).find("Secure"), std::string::npos);
  EXPECT_NE(session_set_cookie("id", plain, kLoopback).find("HttpOnly; SameSite=Strict; Path=/"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::admin
