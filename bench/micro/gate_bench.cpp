// The whole gate decision, AccessGate::decide(), on the snapshot of gate_world.hpp
// (one app, one Service Auth policy, 1,000 tokens), with a fixed clock and no access
// log. What is timed is the steady state of an edge thread: the check before the loop
// warms the per-thread JWT caches (issue and verify), as earlier requests would have;
// jwt_bench.cpp has the cache-miss (RSA) costs.
#include "bench_check.hpp"
#include "gate_world.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace gatehouse::bench {
namespace {

std::string header_value(const std::vector<http::Header>& headers, std::string_view name) {
  for (const auto& h : headers)
    if (http::iequals(h.name, name)) return h.value;
  return {};
}

edge::AccessGate make_gate(const GateWorld& w) {
  edge::GateOptions options;
  options.access_log = nullptr;  // measure the decision, not the log's queue
  return edge::AccessGate(w.snapshots, w.clock, options);
}

void add_token_headers(OwnedRequest& r, const std::string& client_id, const std::string& secret) {
  r.header("CF-Access-Client-Id", client_id).header("CF-Access-Client-Secret", secret);
}

bool is_forward(const edge::Verdict& v) { return !v.respond && v.forward.upstream != nullptr; }

// Never inlined, so a profiler can collect the timed loop alone, without the set-up
// (RSA key generation) or the cache-warming first decision:
//   valgrind --tool=callgrind --toggle-collect='*time_decisions*' micro_bench --benchmark_filter=…
[[gnu::noinline]] void time_decisions(benchmark::State& state, edge::AccessGate& gate, const edge::RequestHead& head) {
  for (auto _ : state) {
    auto verdict = gate.decide(head);
    benchmark::DoNotOptimize(verdict);
  }
}

// The CF_Authorization value of a Set-Cookie the gate produced.
std::string jwt_from_set_cookie(const edge::Verdict& v) {
  const auto cookie = header_value(v.forward.add_response_headers, "Set-Cookie");
  const auto start = cookie.find('=') + 1;
  return cookie.substr(start, cookie.find(';') - start);
}

// (a) CF-Access-Client-Id/Secret → forward with Cf-Access-Jwt-Assertion and Set-Cookie.
void BM_Gate_TokenHeaders_Forward(benchmark::State& state) {
  const auto& w = gate_world();
  auto gate = make_gate(w);
  OwnedRequest r("/v1/items?page=2", "192.0.2.10");
  add_client_headers(r, w.host);
  add_token_headers(r, w.client_id, w.client_secret);
  const auto& head = r.head();
  const auto first = gate.decide(head);
  require(is_forward(first), "the right token was not forwarded");
  require(!header_value(first.forward.add_request_headers, "Cf-Access-Jwt-Assertion").empty(), "no assertion");
  require(!jwt_from_set_cookie(first).empty(), "no CF_Authorization cookie");
  time_decisions(state, gate, head);
}
BENCHMARK(BM_Gate_TokenHeaders_Forward);

// (b) The CF_Authorization cookie the gate set in (a), among other cookies → forward.
void BM_Gate_Cookie_Forward(benchmark::State& state) {
  const auto& w = gate_world();
  auto gate = make_gate(w);
  OwnedRequest issue("/", "192.0.2.10");
  add_client_headers(issue, w.host);
  add_token_headers(issue, w.client_id, w.client_secret);
  const std::string jwt = jwt_from_set_cookie(gate.decide(issue.head()));
  require(!jwt.empty(), "the gate issued no cookie to reuse");

  OwnedRequest r("/v1/items?page=2", "192.0.2.10");
  add_client_headers(r, w.host);
  r.header("Cookie", "_ga=GA1.2.1234567890.1700000000; theme=dark; CF_Authorization=" + jwt + "; lang=en");
  const auto& head = r.head();
  const auto first = gate.decide(head);
  require(is_forward(first), "the gate's own cookie was not accepted");
  require(header_value(first.forward.add_request_headers, "Cf-Access-Jwt-Assertion") == jwt,
          "the cookie's JWT was not passed on as the assertion");
  time_decisions(state, gate, head);
}
BENCHMARK(BM_Gate_Cookie_Forward);

// (c) A known client id with a wrong (well-formed) secret → 403 invalid_service_token.
void BM_Gate_WrongSecret_403(benchmark::State& state) {
  const auto& w = gate_world();
  auto gate = make_gate(w);
  OwnedRequest r("/v1/items?page=2", "192.0.2.10");
  add_client_headers(r, w.host);
  add_token_headers(r, w.client_id, w.wrong_secret);
  const auto& head = r.head();
  const auto first = gate.decide(head);
  require(first.respond && first.respond->status == 403 &&
              first.respond->body.find("invalid_service_token") != std::string::npos,
          "a wrong secret was not refused with 403 invalid_service_token");
  time_decisions(state, gate, head);
}
BENCHMARK(BM_Gate_WrongSecret_403);

// (d) Forward-auth from a trusted proxy on loopback → 200 with the assertion.
void BM_Gate_ForwardAuth_200(benchmark::State& state) {
  const auto& w = gate_world();
  auto gate = make_gate(w);
  OwnedRequest r("/cdn-cgi/access/authorize", "127.0.0.1");
  add_client_headers(r, "gatehouse.internal");
  r.header("X-Forwarded-Host", w.host)
      .header("X-Forwarded-Uri", "/v1/items?page=2")
      .header("X-Forwarded-Proto", "https")
      .header("X-Forwarded-For", "192.0.2.44");
  add_token_headers(r, w.client_id, w.client_secret);
  const auto& head = r.head();
  const auto first = gate.decide(head);
  require(first.respond && first.respond->status == 200, "forward-auth did not answer 200");
  require(!header_value(first.respond->headers, "Cf-Access-Jwt-Assertion").empty(), "forward-auth gave no assertion");
  time_decisions(state, gate, head);
}
BENCHMARK(BM_Gate_ForwardAuth_200);

}  // namespace
}  // namespace gatehouse::bench
