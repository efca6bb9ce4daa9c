#include "policy/evaluate.hpp"

#include <gtest/gtest.h>

using namespace gatehouse;
using Effect = PolicyOutcome::Effect;

namespace {

Policy policy(std::string id, PolicyDecision d, std::vector<Rule> include, std::vector<Rule> exclude = {},
              std::vector<Rule> require = {}) {
  Policy p;
  p.id = std::move(id);
  p.decision = d;
  p.include = std::move(include);
  p.exclude = std::move(exclude);
  p.require = std::move(require);
  return p;
}

Rule token(std::string id) { return {Rule::Kind::service_token, std::move(id)}; }
Rule any_token() { return {Rule::Kind::any_valid_service_token, ""}; }
Rule everyone() { return {Rule::Kind::everyone, ""}; }
Rule ip(std::string cidr) { return {Rule::Kind::ip, std::move(cidr)}; }

PolicyOutcome run(const std::vector<Policy>& ps, const Identity& who, std::string_view from = "192.0.2.1") {
  std::vector<const Policy*> ordered;
  for (const auto& p : ps) ordered.push_back(&p);
  return evaluate(ordered, who, parse_ip(from));
}

const Identity kTokenA{"tok-a", "", ""};
const Identity kTokenB{"tok-b", "", ""};
const Identity kNobody{};

}  // namespace

TEST(Evaluate, ServiceAuthAdmitsTheNamedToken) {
  std::vector<Policy> ps{policy("p1", PolicyDecision::non_identity, {token("tok-a")})};
  EXPECT_EQ(run(ps, kTokenA).effect, Effect::allow);
  EXPECT_EQ(run(ps, kTokenA).policy->id, "p1");
  EXPECT_EQ(run(ps, kTokenB).effect, Effect::deny);
  EXPECT_EQ(run(ps, kTokenB).reason, "policy_denied");
  EXPECT_EQ(run(ps, kNobody).effect, Effect::deny);
}

TEST(Evaluate, AnyValidServiceTokenAdmitsEveryTokenButNoAnonymous) {
  std::vector<Policy> ps{policy("p1", PolicyDecision::non_identity, {any_token()})};
  EXPECT_EQ(run(ps, kTokenB).effect, Effect::allow);
  EXPECT_EQ(run(ps, kNobody).effect, Effect::deny);
}

TEST(Evaluate, ExcludeAndRequireNarrowAPolicy) {
  std::vector<Policy> ps{policy("p1", PolicyDecision::non_identity, {any_token()}, {token("tok-b")}, {ip("192.0.2.0/24")})};
  EXPECT_EQ(run(ps, kTokenA).effect, Effect::allow);
  EXPECT_EQ(run(ps, kTokenB).effect, Effect::deny);
  EXPECT_EQ(run(ps, kTokenA, "198.51.100.1").effect, Effect::deny);
}

TEST(Evaluate, BypassLetsEveryoneInWithoutIdentity) {
  std::vector<Policy> ps{policy("p1", PolicyDecision::bypass, {ip("192.0.2.0/24")})};
  EXPECT_EQ(run(ps, kNobody).effect, Effect::bypass);
  EXPECT_EQ(run(ps, kNobody, "203.0.113.9").effect, Effect::deny);
}

TEST(Evaluate, ServiceAuthIsCheckedBeforeBlock) {
  std::vector<Policy> ps{policy("block", PolicyDecision::deny, {everyone()}),
                         policy("svc", PolicyDecision::non_identity, {token("tok-a")})};
  EXPECT_EQ(run(ps, kTokenA).effect, Effect::allow);
  auto other = run(ps, kTokenB);
  EXPECT_EQ(other.effect, Effect::deny);
  EXPECT_EQ(other.reason, "policy_blocked");
  EXPECT_EQ(other.policy->id, "block");
}

TEST(Evaluate, FirstAllowOrBlockMatchWinsInPrecedenceOrder) {
  const Identity user{"", "ann@example.com", ""};
  std::vector<Policy> ps{policy("block", PolicyDecision::deny, {ip("192.0.2.0/24")}),
                         policy("allow", PolicyDecision::allow, {everyone()})};
  EXPECT_EQ(run(ps, user).effect, Effect::deny);
  EXPECT_EQ(run(ps, user, "198.51.100.7").effect, Effect::allow);
}

TEST(Evaluate, AllowPoliciesNeedAUserSoTokensAndAnonymousAreSentToLogin) {
  std::vector<Policy> ps{policy("allow", PolicyDecision::allow, {everyone()})};
  EXPECT_EQ(run(ps, kNobody).effect, Effect::login_required);
  EXPECT_EQ(run(ps, kTokenA).effect, Effect::login_required);
  EXPECT_EQ(run(ps, Identity{"", "ann@example.com", ""}).effect, Effect::allow);
}

TEST(Evaluate, NoPoliciesMeansDeny) {
  EXPECT_EQ(run({}, kTokenA).effect, Effect::deny);
}

TEST(RuleMatches, EmailRulesAreCaseInsensitiveAndNeedAUser) {
  const Identity user{"", "Ann@Example.com", ""};
  EXPECT_TRUE(rule_matches({Rule::Kind::email, "ann@example.com"}, user, std::nullopt));
  EXPECT_TRUE(rule_matches({Rule::Kind::email_domain, "example.COM"}, user, std::nullopt));
  EXPECT_FALSE(rule_matches({Rule::Kind::email_domain, "example.com"}, kTokenA, std::nullopt));
  EXPECT_FALSE(rule_matches({Rule::Kind::ip, "0.0.0.0/0"}, kTokenA, std::nullopt));
}
