// The edge's JWT verify cache (src/edge/app_jwt.cpp): a cache hit must never accept
// what a fresh verification would refuse.
#include "gate_fixture.hpp"

namespace gatehouse::edge::testing {
namespace {

class AppJwtCacheTest : public GateFixture {
 protected:
  void SetUp() override {
    GateFixture::SetUp();
    add_token("ci");
    add_app("api", "api.example.com", {service_auth({{Rule::Kind::service_token, token("ci").id}})});
    publish();
  }

  Request with_jwt(const std::string& jwt) {
    Request r;
    r.header("Host", "api.example.com").header("cf-access-token", jwt);
    return r;
  }
};

// A new auth_domain is a new issuer: JWTs of the old one are refused, also the ones
// this thread verified (and cached) while the old issuer was current.
TEST_F(AppJwtCacheTest, AJwtVerifiedBeforeAnIssuerChangeIsRefusedAfterIt) {
  const auto jwt = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  ASSERT_FALSE(jwt.empty());
  const auto warm = send(with_jwt(jwt));
  ASSERT_FALSE(warm.respond) << warm.respond->body;  // verified: now in the cache

  inputs.organizations[0].auth_domain = "renamed.example.com";
  publish();
  const auto v = send(with_jwt(jwt));
  ASSERT_TRUE(v.respond);
  EXPECT_EQ(v.respond->status, 403);
  EXPECT_EQ(reason(v), "jwt_issuer_mismatch");

  // A JWT issued under the new issuer works.
  const auto fresh = jwt_from_cookie(send(with_token("api.example.com", "ci")));
  const auto ok = send(with_jwt(fresh));
  EXPECT_FALSE(ok.respond) << ok.respond->body;

  // Back to the old issuer: the old JWT is valid again (it was never revoked).
  inputs.organizations[0].auth_domain = "team.example.com";
  publish();
  const auto again = send(with_jwt(jwt));
  EXPECT_FALSE(again.respond) << again.respond->body;
}

}  // namespace
}  // namespace gatehouse::edge::testing
