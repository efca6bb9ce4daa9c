// Policy evaluation (policy/evaluate.hpp) for a service-token request, over an app's
// policies in precedence order: one Service Auth policy that matches, and ten where
// only the last one matches (the scan is linear, so this is the many-policies cost).
#include "bench_check.hpp"
#include "policy/evaluate.hpp"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace gatehouse::bench {
namespace {

constexpr std::string_view kRequester = "9c5b94b1-35ad-49bb-b118-8e8fc24abf80";

// A UUID-shaped token id that is not the requester's.
std::string other_token_id(std::size_t i) {
  std::string id = "00000000-35ad-49bb-b118-8e8fc24abf80";
  const std::string n = std::to_string(i);
  id.replace(8 - n.size(), n.size(), n);
  return id;
}

Policy service_auth(std::string token_id, int precedence) {
  Policy p;
  p.name = "service auth " + std::to_string(precedence);
  p.decision = PolicyDecision::non_identity;
  p.include = {{Rule::Kind::service_token, std::move(token_id)}};
  p.precedence = precedence;
  return p;
}

// A Bypass for an office network the client is not in: its CIDR is parsed again at
// every evaluation (rule_matches keeps the rule as text).
Policy office_bypass(std::size_t i, int precedence) {
  Policy p;
  p.name = "office bypass " + std::to_string(i);
  p.decision = PolicyDecision::bypass;
  p.include = {{Rule::Kind::ip, "10." + std::to_string(i) + ".0.0/16"}};
  p.precedence = precedence;
  return p;
}

struct PolicyCase {
  std::vector<Policy> policies;
  std::vector<const Policy*> ordered;
};

// `count` policies; only the last (a Service Auth naming the requester) matches.
void finish(PolicyCase& c) {
  c.policies.push_back(service_auth(std::string(kRequester), static_cast<int>(c.policies.size()) + 1));
  for (const auto& p : c.policies) c.ordered.push_back(&p);
}

void run(benchmark::State& state, const PolicyCase& c) {
  const Identity who{kRequester, "", ""};
  const auto from = parse_ip("192.0.2.10");
  const auto first = evaluate(c.ordered, who, from);
  require(first.effect == PolicyOutcome::Effect::allow && first.policy == c.ordered.back(),
          "the last policy did not admit the token");
  for (auto _ : state) benchmark::DoNotOptimize(evaluate(c.ordered, who, from));
  state.counters["policies"] = static_cast<double>(c.ordered.size());
}

// Arg: number of policies; the requester is named by the last Service Auth policy.
void BM_PolicyEvaluate_ServiceAuth(benchmark::State& state) {
  PolicyCase c;
  for (std::size_t i = 1; i < static_cast<std::size_t>(state.range(0)); ++i)
    c.policies.push_back(service_auth(other_token_id(i), static_cast<int>(i)));
  finish(c);
  run(state, c);
}
BENCHMARK(BM_PolicyEvaluate_ServiceAuth)->Arg(1)->Arg(10);

// Nine IP Bypass policies that do not match, then the Service Auth that does.
void BM_PolicyEvaluate_IpBypassFirst(benchmark::State& state) {
  PolicyCase c;
  for (std::size_t i = 1; i < static_cast<std::size_t>(state.range(0)); ++i)
    c.policies.push_back(office_bypass(i, static_cast<int>(i)));
  finish(c);
  run(state, c);
}
BENCHMARK(BM_PolicyEvaluate_IpBypassFirst)->Arg(10);

}  // namespace
}  // namespace gatehouse::bench
