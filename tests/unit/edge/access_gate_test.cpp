#include "gate_fixture.hpp"

namespace gatehouse::edge::testing {
namespace {

Rule token_rule(const ServiceToken& t) { return {Rule::Kind::service_token, t.id}; }
Rule any_token() { return {Rule::Kind::any_valid_service_token, ""}; }

class AccessGateTest : public GateFixture {
 protected:
  void SetUp() override {
    GateFixture::SetUp();
    add_token("ci");
    add_token("other");
    add_app("api", "api.example.com", {service_auth({token_rule(token("ci"))})});
    publish();
  }
};

TEST_F(AccessGateTest, TokenHeadersAreForwardedWithAnAssertionAndACookie) {
  auto v = send(with_token("api.example.com", "ci"));
  ASSERT_FALSE(v.respond) << v.respond->body;
  ASSERT_TRUE(v.forward.upstream);
  EXPECT_EQ(v.forward.upstream->port, "3000");
  const auto assertion = header(v.forward.add_request_headers, "Cf-Access-Jwt-Assertion");
  ASSERT_FALSE(assertion.empty());
  const auto cookie = header(v.forward.add_response_headers, "Set-Cookie");
  EXPECT_EQ(cookie.rfind("CF_Authorization=" + assertion + "; Path=/; Expires=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("; Secure; HttpOnly; SameSite=None"), std::string::npos) << cookie;
  // The transport drops every client-sent Cf-* header (the secret, a forged
  // assertion: head_writer_test); the gate adds the authenticated client id.
  EXPECT_EQ(header(v.forward.add_request_headers, "CF-Access-Client-Id"), token("ci").client_id);
  // The origin receives the canonical target the decision was made on.
  EXPECT_EQ(v.forward.target, "/");
  EXPECT_FALSE(header(v.forward.add_response_headers, "Cf-Ray").empty());
}

TEST_F(AccessGateTest, TheAssertionCarriesTheClaimsOfSection23) {
  auto v = send(with_token("api.example.com", "ci"));
  const auto jwt = header(v.forward.add_request_headers, "Cf-Access-Jwt-Assertion");
  const auto snap = holder.load();
  const auto& account = snap->accounts.at("acct");
  KeyLookup lookup = [&](std::string_view kid) -> EVP_PKEY* {
    auto it = account.verify_keys.find(std::string(kid));
    return it == account.verify_keys.end() ? nullptr : it->second.get();
  };
  auto claims = verify_jwt(jwt, lookup, {app("api").aud, "https://team.example.com", kNow});
  ASSERT_TRUE(claims) << claims.error().message();
  EXPECT_EQ(claims->at("type").as_string(), "app");
  EXPECT_EQ(claims->at("aud").as_array().at(0).as_string(), app("api").aud);
  EXPECT_EQ(claims->at("common_name").as_string(), token("ci").client_id);
  EXPECT_EQ(claims->at("service_token_id").as_string(), token("ci").id);
  EXPECT_EQ(claims->at("sub").as_string(), "");
  EXPECT_EQ(claims->at("exp").as_int64() - claims->at("iat").as_int64(), 24 * 3600);
  EXPECT_FALSE(claims->at("identity_nonce").as_string().empty());
}

TEST_F(AccessGateTest, TheCookieAloneOpensTheAppAfterwards) {
  const auto jwt = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  Request r;
  r.header("Host", "api.example.com").header("Cookie", "a=b; CF_Authorization=" + jwt);
  auto v = send(r);
  ASSERT_FALSE(v.respond) << v.respond->body;
  EXPECT_EQ(header(v.forward.add_request_headers, "Cf-Access-Jwt-Assertion"), jwt);
  EXPECT_TRUE(header(v.forward.add_response_headers, "Set-Cookie").empty());
  Request h;
  h.header("Host", "api.example.com").header("cf-access-token", jwt);
  EXPECT_FALSE(send(h).respond);
}

TEST_F(AccessGateTest, WrongSecretAndUnknownIdLookTheSame) {
  Request wrong;
  OsRandom os;
  wrong.header("Host", "api.example.com").header("CF-Access-Client-Id", token("ci").client_id).header("CF-Access-Client-Secret", new_client_secret(os));
  auto a = send(wrong);
  ASSERT_TRUE(a.respond);
  EXPECT_EQ(a.respond->status, 403);
  EXPECT_EQ(reason(a), "invalid_service_token");
  Request unknown;
  unknown.header("Host", "api.example.com").header("CF-Access-Client-Id", new_client_id(random)).header("CF-Access-Client-Secret", secrets["ci"]);
  auto b = send(unknown);
  EXPECT_EQ(b.respond->status, 403);
  EXPECT_EQ(reason(b), "invalid_service_token");
  EXPECT_EQ(a.respond->body.find("secret"), std::string::npos);
}

TEST_F(AccessGateTest, ExpiredAndDisabledTokensAreRefused) {
  clock.advance(hours(72));
  EXPECT_EQ(reason(send(with_token("api.example.com", "ci"))), "service_token_expired");
  clock.set(kNow);
  token("ci").enabled = false;
  publish();
  EXPECT_EQ(reason(send(with_token("api.example.com", "ci"))), "service_token_disabled");
}

TEST_F(AccessGateTest, AValidTokenThatNoPolicyNamesIsDenied) {
  auto v = send(with_token("api.example.com", "other"));
  ASSERT_TRUE(v.respond);
  EXPECT_EQ(v.respond->status, 403);
  EXPECT_EQ(reason(v), "policy_denied");
}

TEST_F(AccessGateTest, NoCredentialsOnAServiceAuthAppIs403Or401WhenAsked) {
  Request r;
  r.header("Host", "api.example.com");
  EXPECT_EQ(send(r).respond->status, 403);
  EXPECT_EQ(reason(send(r)), "no_credentials");
  app("api").service_auth_401_redirect = true;
  publish();
  EXPECT_EQ(send(r).respond->status, 401);
}

TEST_F(AccessGateTest, DeletedOrDisabledTokensLoseTheirJwtsOnTheNextRequest) {
  const auto jwt = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  Request r;
  r.header("Host", "api.example.com").header("Cookie", "CF_Authorization=" + jwt);
  token("ci").enabled = false;
  publish();
  EXPECT_EQ(reason(send(r)), "service_token_disabled");
  std::erase_if(inputs.tokens, [](const ServiceToken& t) { return t.name == "ci"; });
  publish();
  EXPECT_EQ(reason(send(r)), "service_token_deleted");
}

TEST_F(AccessGateTest, AJwtOfAppAIsRefusedAtAppB) {
  add_app("b", "b.example.com", {service_auth({any_token()})});
  publish();
  const auto jwt = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  Request r;
  r.header("Host", "b.example.com").header("Cookie", "CF_Authorization=" + jwt);
  auto v = send(r);
  ASSERT_TRUE(v.respond);
  EXPECT_EQ(v.respond->status, 403);
  EXPECT_EQ(reason(v), "jwt_audience_mismatch");
}

TEST_F(AccessGateTest, ATamperedJwtIsRefused) {
  auto jwt = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  jwt[jwt.size() - 5] = jwt[jwt.size() - 5] == 'A' ? 'B' : 'A';
  Request r;
  r.header("Host", "api.example.com").header("cf-access-token", jwt);
  EXPECT_EQ(reason(send(r)), "jwt_bad_signature");
}

TEST_F(AccessGateTest, ExpiredJwtIsRefusedAfterTheLeeway) {
  const auto jwt = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  Request r;
  r.header("Host", "api.example.com").header("cf-access-token", jwt);
  clock.advance(hours(24) + seconds(61));
  EXPECT_EQ(reason(send(r)), "jwt_expired");
}

TEST_F(AccessGateTest, RevokeTokensRefusesJwtsIssuedBefore) {
  const auto jwt = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  clock.advance(seconds(5));
  app("api").tokens_revoked_before = clock.now();
  publish();
  Request r;
  r.header("Host", "api.example.com").header("cf-access-token", jwt);
  EXPECT_EQ(reason(send(r)), "jwt_revoked");
  // A fresh one, issued in the same second, works.
  const auto fresh = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  Request again;
  again.header("Host", "api.example.com").header("cf-access-token", fresh);
  EXPECT_FALSE(send(again).respond) << send(again).respond->body;
}

TEST_F(AccessGateTest, DuplicateOrHalfPresentCredentialsAreRefused) {
  Request dup = with_token("api.example.com", "ci");
  dup.header("CF-Access-Client-Id", token("ci").client_id);
  EXPECT_EQ(send(dup).respond->status, 400);
  EXPECT_EQ(reason(send(dup)), "credentials_duplicated");
  Request half;
  half.header("Host", "api.example.com").header("CF-Access-Client-Id", token("ci").client_id);
  EXPECT_EQ(reason(send(half)), "credentials_incomplete");
  Request two_cookies;
  two_cookies.header("Host", "api.example.com").header("Cookie", "CF_Authorization=a").header("Cookie", "CF_Authorization=b");
  EXPECT_EQ(reason(send(two_cookies)), "credentials_duplicated");
}

TEST_F(AccessGateTest, TheSingleHeaderCarriesBothCredentials) {
  app("api").read_service_tokens_from_header = "Authorization";
  publish();
  Request r;
  r.header("Host", "api.example.com")
      .header("Authorization", R"({"cf-access-client-id":")" + token("ci").client_id + R"(","cf-access-client-secret":")" + secrets["ci"] + "\"}");
  auto v = send(r);
  ASSERT_FALSE(v.respond) << v.respond->body;
  const auto& strip = v.forward.strip_request_headers;
  EXPECT_NE(std::find(strip.begin(), strip.end(), "Authorization"), strip.end());
  Request bad;
  bad.header("Host", "api.example.com").header("Authorization", "{not json");
  EXPECT_EQ(reason(send(bad)), "credentials_malformed");
}

TEST_F(AccessGateTest, StrictModeSetsNoCookieIgnoresCookiesAndSays401) {
  const auto jwt = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  inputs.organizations[0].strict_service_token_auth = true;
  publish();
  auto v = send(with_token("api.example.com", "ci"));
  ASSERT_FALSE(v.respond);
  EXPECT_TRUE(header(v.forward.add_response_headers, "Set-Cookie").empty());
  EXPECT_FALSE(header(v.forward.add_request_headers, "Cf-Access-Jwt-Assertion").empty());
  Request cookie;
  cookie.header("Host", "api.example.com").header("Cookie", "CF_Authorization=" + jwt);
  EXPECT_EQ(send(cookie).respond->status, 401);
  EXPECT_EQ(send(with_token("api.example.com", "other")).respond->status, 403);
}

TEST_F(AccessGateTest, AllowPolicyAppsRedirectToTheLoginPage) {
  add_app("web", "web.example.com", {with_decision(PolicyDecision::allow, {{Rule::Kind::everyone, ""}})});
  publish();
  Request r;
  r.header("Host", "web.example.com").header("Accept", "text/html");
  r.target = "/page?x=1";
  auto v = send(r);
  ASSERT_TRUE(v.respond);
  EXPECT_EQ(v.respond->status, 302);
  EXPECT_EQ(header(v.respond->headers, "Location"),
            "/cdn-cgi/access/login/web.example.com?redirect_url=https%3A%2F%2Fweb.example.com%2Fpage%3Fx%3D1");
}

TEST_F(AccessGateTest, BypassForwardsWithoutAnAssertionAndBlockRefuses) {
  add_app("open", "open.example.com", {with_decision(PolicyDecision::bypass, {{Rule::Kind::ip, "192.0.2.0/24"}})});
  add_app("blocked", "blocked.example.com",
          {with_decision(PolicyDecision::deny, {{Rule::Kind::ip, "192.0.2.0/24"}}), service_auth({any_token()})});
  publish();
  Request r;
  r.header("Host", "open.example.com").header("Cf-Access-Jwt-Assertion", "forged");
  auto v = send(r);
  ASSERT_FALSE(v.respond);
  EXPECT_TRUE(header(v.forward.add_request_headers, "Cf-Access-Jwt-Assertion").empty());
  EXPECT_TRUE(header(v.forward.add_request_headers, "CF-Access-Client-Id").empty());
  r.peer = "198.51.100.1";
  EXPECT_EQ(send(r).respond->status, 403);
  // Service Auth comes before Block: the token still gets in; anonymous is blocked.
  EXPECT_FALSE(send(with_token("blocked.example.com", "ci")).respond);
  Request anon;
  anon.header("Host", "blocked.example.com");
  EXPECT_EQ(reason(send(anon)), "no_credentials");
}

TEST_F(AccessGateTest, UnknownHostIs404) {
  Request r;
  r.header("Host", "nowhere.example.com");
  EXPECT_EQ(send(r).respond->status, 404);
  EXPECT_EQ(reason(send(r)), "no_application");
}

TEST_F(AccessGateTest, OldJwtsVerifyUntilTheOldKeyLeavesTheJwks) {
  const auto jwt = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  add_key(kNow);  // rotation: the first key is retired now
  publish();
  Request r;
  r.header("Host", "api.example.com").header("cf-access-token", jwt);
  EXPECT_FALSE(send(r).respond);
  // New JWTs come from the new key.
  const auto fresh = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  EXPECT_NE(fresh, jwt);
  clock.advance(hours(24 * 7));
  publish();
  EXPECT_EQ(reason(send(r)), "jwt_unknown_kid");
}

TEST_F(AccessGateTest, CertsPublishCurrentAndPreviousKeys) {
  add_key(kNow);
  publish();
  Request r;
  r.target = "/cdn-cgi/access/certs";
  r.header("Host", "api.example.com");
  auto v = send(r);
  ASSERT_TRUE(v.respond);
  EXPECT_EQ(v.respond->status, 200);
  auto doc = boost::json::parse(v.respond->body).as_object();
  EXPECT_EQ(doc.at("keys").as_array().size(), 2u);
  EXPECT_EQ(doc.at("public_certs").as_array().size(), 2u);
  EXPECT_EQ(doc.at("public_cert").at("kid").as_string(), inputs.keys.back().stored.kid);
}

TEST_F(AccessGateTest, GetIdentityDescribesTheTokenBehindAJwt) {
  const auto jwt = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  Request r;
  r.target = "/cdn-cgi/access/get-identity";
  r.header("Host", "api.example.com").header("Cookie", "CF_Authorization=" + jwt);
  auto v = send(r);
  ASSERT_EQ(v.respond->status, 200) << v.respond->body;
  auto id = boost::json::parse(v.respond->body).as_object();
  EXPECT_EQ(id.at("service_token_id").as_string(), token("ci").id);
  EXPECT_EQ(id.at("service_token_status").as_bool(), true);
  EXPECT_EQ(id.at("common_name").as_string(), token("ci").client_id);
}

TEST_F(AccessGateTest, ForwardAuthAnswersForTheForwardedRequest) {
  Request r = with_token("gatehouse.internal", "ci");
  r.target = "/cdn-cgi/access/authorize";
  r.peer = "127.0.0.1";
  r.header("X-Forwarded-Host", "api.example.com").header("X-Forwarded-Uri", "/x?y=1").header("X-Forwarded-For", "192.0.2.44");
  auto v = send(r);
  ASSERT_TRUE(v.respond);
  EXPECT_EQ(v.respond->status, 200) << v.respond->body;
  EXPECT_FALSE(header(v.respond->headers, "Cf-Access-Jwt-Assertion").empty());
  EXPECT_FALSE(header(v.respond->headers, "Set-Cookie").empty());
  Request denied = with_token("gatehouse.internal", "other");
  denied.target = "/cdn-cgi/access/authorize";
  denied.header("X-Forwarded-Host", "api.example.com");
  // Without the URI, forward-auth does not guess "/".
  EXPECT_EQ(send(denied).respond->status, 400);
  denied.header("X-Forwarded-Uri", "/x");
  EXPECT_EQ(send(denied).respond->status, 403);
  Request missing;
  missing.target = "/cdn-cgi/access/authorize";
  missing.header("Host", "x");
  EXPECT_EQ(send(missing).respond->status, 400);
}

TEST_F(AccessGateTest, ExpiringTokensGetTheInBandWarning) {
  auto v = send(with_token("api.example.com", "ci"));  // 72h left: within 7 days
  EXPECT_EQ(header(v.forward.add_response_headers, "Gatehouse-Service-Token-Expires"), format_rfc3339(*token("ci").expires_at));
}

TEST_F(AccessGateTest, TheIssuedJwtIsReusedUntilHalfItsLife) {
  const auto a = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  clock.advance(hours(11));
  EXPECT_EQ(jwt_from_cookie(send(with_token("api.example.com", "ci"))), a);
  clock.advance(hours(2));
  EXPECT_NE(jwt_from_cookie(send(with_token("api.example.com", "ci"))), a);
}

TEST_F(AccessGateTest, EveryDecisionAboutAKnownTokenIsLoggedUnderItsName) {
  OsRandom os;
  Request wrong;
  wrong.header("Host", "api.example.com").header("CF-Access-Client-Id", token("ci").client_id).header("CF-Access-Client-Secret", new_client_secret(os));
  send(wrong);
  send(with_token("api.example.com", "ci"));
  ASSERT_EQ(log.records.size(), 2u);
  EXPECT_FALSE(log.records[0].allowed);
  EXPECT_EQ(log.records[0].reason, "bad_secret");  // the exact slug, not the public one
  EXPECT_EQ(log.records[0].service_token_name, "ci");
  EXPECT_EQ(log.records[0].ip_address, "192.0.2.10");
  EXPECT_TRUE(log.records[1].allowed);
  EXPECT_EQ(log.records[1].client_secret_version, 1);
  EXPECT_EQ(log.records[1].app_id, app("api").id);
  EXPECT_FALSE(log.records[1].ray_id.empty());
  ASSERT_EQ(log.seen_tokens.size(), 1u);
  EXPECT_EQ(log.seen_tokens[0].first, token("ci").id);
}

TEST_F(AccessGateTest, UnknownClientIdsAreCountedNotLogged) {
  Request unknown;
  unknown.header("Host", "api.example.com").header("CF-Access-Client-Id", new_client_id(random)).header("CF-Access-Client-Secret", secrets["ci"]);
  send(unknown);
  EXPECT_TRUE(log.records.empty());
  EXPECT_EQ(log.unknown, 1);
}

TEST_F(AccessGateTest, RequestsWithoutCredentialsAreNotLogged) {
  Request r;
  r.header("Host", "api.example.com");
  send(r);
  EXPECT_TRUE(log.records.empty());
}

TEST_F(AccessGateTest, CorsPreflightsAreAnsweredFromTheAppSettingsWithoutCredentials) {
  app("api").cors_headers_json =
      R"({"allowed_origins":["https://ui.example.com"],"allowed_methods":["GET","POST"],"allow_credentials":true,"max_age":600})";
  publish();
  Request pre;
  pre.method = "OPTIONS";
  pre.header("Host", "api.example.com").header("Origin", "https://ui.example.com").header("Access-Control-Request-Method", "POST");
  auto v = send(pre);
  ASSERT_TRUE(v.respond);
  EXPECT_EQ(v.respond->status, 204);
  EXPECT_EQ(header(v.respond->headers, "Access-Control-Allow-Origin"), "https://ui.example.com");
  EXPECT_EQ(header(v.respond->headers, "Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(header(v.respond->headers, "Access-Control-Max-Age"), "600");
  Request foreign = pre;
  foreign.headers[1].second = "https://evil.example";
  EXPECT_EQ(send(foreign).respond->status, 403);
  // Actual responses carry the allow headers for an allowed origin.
  Request real = with_token("api.example.com", "ci");
  real.header("Origin", "https://ui.example.com");
  auto ok = send(real);
  ASSERT_FALSE(ok.respond);
  EXPECT_EQ(header(ok.forward.add_response_headers, "Access-Control-Allow-Origin"), "https://ui.example.com");
}

}  // namespace
}  // namespace gatehouse::edge::testing
