#include "service/access_json.hpp"
#include "service/access_validation.hpp"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

std::string domain_ok(std::string_view in) {
  auto r = validate_app_domain(in, "domain");
  EXPECT_TRUE(r) << in << ": " << (r ? "" : r.error().message);
  return r ? *r : std::string();
}

std::string domain_error(std::string_view in) {
  auto r = validate_app_domain(in, "domain");
  EXPECT_FALSE(r) << in << " was accepted as " << (r ? *r : "");
  if (r) return {};
  EXPECT_EQ(r.error().http_status, 400);
  EXPECT_EQ(r.error().slug, "invalid_domain");
  EXPECT_NE(r.error().message.find("domain"), std::string::npos) << r.error().message;
  return r.error().message;
}

TEST(AppDomain, LowercasesTheHostAndKeepsThePathCase) {
  EXPECT_EQ(domain_ok("App.Example.COM/Admin/Area"), "app.example.com/Admin/Area");
}

TEST(AppDomain, DropsTrailingSlashes) {
  EXPECT_EQ(domain_ok("app.example.com/"), "app.example.com");
  EXPECT_EQ(domain_ok("app.example.com/api//"), "app.example.com/api");
}

TEST(AppDomain, AcceptsWildcardsIpv4LiteralsSingleLabelsAndEscapes) {
  EXPECT_EQ(domain_ok("*.example.com"), "*.example.com");
  EXPECT_EQ(domain_ok("127.0.0.1/x"), "127.0.0.1/x");
  EXPECT_EQ(domain_ok("localhost"), "localhost");
  EXPECT_EQ(domain_ok("xn--bcher-kva.example/a%20b/~c"), "xn--bcher-kva.example/a%20b/~c");
}

TEST(AppDomain, RefusesSchemesPortsAndUserInfo) {
  EXPECT_NE(domain_error("https://app.example.com").find("scheme"), std::string::npos);
  EXPECT_NE(domain_error("app.example.com:8443").find("port"), std::string::npos);
  EXPECT_NE(domain_error("me@app.example.com").find("user info"), std::string::npos);
}

TEST(AppDomain, RefusesBadLabels) {
  for (auto bad : {"a..b", ".a.b", "a.b.", "-a.b", "a-.b", "a_b.c", "*.", "a.*.b", "*a.b", "*"}) domain_error(bad);
  domain_error(std::string(64, 'a') + ".com");
  domain_error(std::string(250, 'a').insert(60, ".").insert(120, ".").insert(180, ".") + ".com");
}

TEST(AppDomain, RefusesBadPaths) {
  for (auto bad : {"a.b/x/*", "a.b/x?y", "a.b/x#y", "a.b/../x", "a.b/./x", "a.b/x//y", "a.b/%zz", "a.b/%2", "a.b/x y",
                   "a.b/x\\y", "a.b/\"x\""})
    domain_error(bad);
}

TEST(AppDomain, RefusesEmptySpacesControlAndNonAscii) {
  domain_error("");
  domain_error(" app.example.com");
  domain_error("app.example.com\n");
  EXPECT_NE(domain_error("bücher.example").find("punycode"), std::string::npos);
}

TEST(DnsName, IsAHostWithoutWildcardOrPath) {
  EXPECT_EQ(*validate_dns_name("Team.Example.com", "auth_domain"), "team.example.com");
  EXPECT_FALSE(validate_dns_name("*.example.com", "auth_domain"));
  EXPECT_FALSE(validate_dns_name("team.example.com/x", "auth_domain"));
  EXPECT_FALSE(validate_dns_name("https://team.example.com", "auth_domain"));
  EXPECT_NE(validate_dns_name("", "auth_domain").error().message.find("auth_domain"), std::string::npos);
}

TEST(Cidr, AcceptsAddressesAndRangesOfBothFamilies) {
  for (auto good : {"10.0.0.0/8", "192.0.2.7", "0.0.0.0/0", "2001:db8::/32", "::1", "::/0", "10.0.0.1/32"})
    EXPECT_TRUE(validate_cidr(good, "ip")) << good;
}

TEST(Cidr, RefusesPrefixesOutOfRangeAndJunk) {
  for (auto bad : {"10.0.0.0/33", "::1/129", "300.1.1.1", "10.0.0.0/", "10.0.0.0/8x", "10.0.0.0/-1", "", "fe80::1%eth0",
                   "10.0.0", "a.b.c.d"}) {
    auto r = validate_cidr(bad, "include[0].ip.ip");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().slug, "invalid_ip");
    EXPECT_NE(r.error().message.find("include[0].ip.ip"), std::string::npos);
  }
}

TEST(Email, NeedsOneAtAndAValidDomainWhichIsLowercased) {
  EXPECT_EQ(*validate_email("Ops@Example.COM", "email"), "Ops@example.com");
  for (auto bad : {"ops", "@example.com", "a@b@c.com", "ops@", "o ps@example.com", "ops@exa mple.com"})
    EXPECT_FALSE(validate_email(bad, "email")) << bad;
}

TEST(HeaderName, IsAnHttpToken) {
  EXPECT_TRUE(validate_header_name("Authorization", "h"));
  EXPECT_TRUE(validate_header_name("X-Service_Token.v1", "h"));
  for (auto bad : {"", "bad header", "x:y", "x(y)", "é"}) EXPECT_FALSE(validate_header_name(bad, "h")) << bad;
  EXPECT_FALSE(validate_header_name(std::string(129, 'a'), "h"));
}

TEST(SessionDuration, IsNeitherForeverNorLongerThanAYear) {
  EXPECT_TRUE(validate_session_duration(*parse_duration("24h"), "session_duration"));
  EXPECT_TRUE(validate_session_duration(*parse_duration("8760h"), "session_duration"));
  EXPECT_FALSE(validate_session_duration(*parse_duration("8761h"), "session_duration"));
  auto forever = validate_session_duration(*parse_duration("forever"), "session_duration");
  ASSERT_FALSE(forever);
  EXPECT_NE(forever.error().message.find("session_duration"), std::string::npos);
}

TEST(Origin, UsesTheEdgeParser) {
  EXPECT_TRUE(validate_origin("http://127.0.0.1:3000", "origin"));
  EXPECT_TRUE(validate_origin("https://[::1]:8443/base", "origin"));
  for (auto bad : {"ftp://x", "127.0.0.1:3000", "http://", "http://h:70000", "http://u@h", "http://h/?q"}) {
    auto r = validate_origin(bad, "origin");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().slug, "invalid_origin");
  }
}

TEST(Text, LimitsCodePointsAndRefusesControls) {
  EXPECT_TRUE(validate_text("line one\nline\ttwo", "m", 100));
  EXPECT_TRUE(validate_text(std::string(10, 'x') + "é", "m", 11));
  EXPECT_FALSE(validate_text(std::string(12, 'x'), "m", 11));
  EXPECT_FALSE(validate_text("bell\x07", "m", 100));
}

TEST(GoDuration, FormatsLikeGo) {
  using std::chrono::milliseconds;
  EXPECT_EQ(format_go_duration(milliseconds(0)), "0s");
  EXPECT_EQ(format_go_duration(milliseconds(500)), "500ms");
  EXPECT_EQ(format_go_duration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(format_go_duration(milliseconds(1005)), "1.005s");
  EXPECT_EQ(format_go_duration(milliseconds(30'000)), "30s");
  EXPECT_EQ(format_go_duration(milliseconds(60'000)), "1m0s");
  EXPECT_EQ(format_go_duration(milliseconds(90'000)), "1m30s");
  EXPECT_EQ(format_go_duration(milliseconds(3'600'000)), "1h0m0s");
  EXPECT_EQ(format_go_duration(milliseconds(3'725'250)), "1h2m5.25s");
}

}  // namespace
}  // namespace gatehouse
