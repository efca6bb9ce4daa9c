// App matching (policy/app_matcher.hpp) with 10 and 1,000 apps of one kind each:
// exact hosts, wildcard hosts, and path prefixes under one host. Exact and wildcard
// are hash lookups; path prefixes on one host are scanned linearly (best()).
#include "bench_check.hpp"
#include "policy/app_matcher.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace gatehouse::bench {
namespace {

enum class Kind { exact, wildcard, path_prefix };

std::string pattern(Kind kind, std::size_t i) {
  const std::string n = std::to_string(i);
  switch (kind) {
    case Kind::exact: return "app" + n + ".example.com";
    case Kind::wildcard: return "*.team" + n + ".example.com";
    case Kind::path_prefix: return "portal.example.com/svc" + n;
  }
  return {};
}

// A request for app `i`, as the gate passes it: Host header as received, normalized path.
struct Query {
  std::string host;
  std::string path;
};
Query query(Kind kind, std::size_t i) {
  const std::string n = std::to_string(i);
  switch (kind) {
    case Kind::exact: return {"app" + n + ".example.com", "/v1/items"};
    case Kind::wildcard: return {"api.team" + n + ".example.com:443", "/v1/items"};
    case Kind::path_prefix: return {"portal.example.com", "/svc" + n + "/v1/items"};
  }
  return {};
}

// Arg: number of apps; the request names one in the middle of the set.
void run(benchmark::State& state, Kind kind) {
  const auto apps = static_cast<std::size_t>(state.range(0));
  AppMatcher matcher;
  for (std::size_t i = 0; i < apps; ++i) matcher.add(pattern(kind, i), i);
  const std::size_t wanted = apps / 2;
  const Query q = query(kind, wanted);
  require(matcher.match(q.host, q.path) == wanted, "the matcher did not find the app");
  for (auto _ : state) benchmark::DoNotOptimize(matcher.match(q.host, q.path));
}

void BM_AppMatch_ExactHost(benchmark::State& state) { run(state, Kind::exact); }
void BM_AppMatch_WildcardHost(benchmark::State& state) { run(state, Kind::wildcard); }
void BM_AppMatch_PathPrefix(benchmark::State& state) { run(state, Kind::path_prefix); }
BENCHMARK(BM_AppMatch_ExactHost)->Arg(10)->Arg(1000);
BENCHMARK(BM_AppMatch_WildcardHost)->Arg(10)->Arg(1000);
BENCHMARK(BM_AppMatch_PathPrefix)->Arg(10)->Arg(1000);

}  // namespace
}  // namespace gatehouse::bench
