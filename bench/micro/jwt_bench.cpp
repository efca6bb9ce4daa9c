// RS256 issue and verify of an application JWT (compat.md §2.3) with the key type the
// edge signs with: the account's RSA-2048 SigningKey. These are the cache-miss costs;
// edge/app_jwt.cpp caches both per thread (gate_bench.cpp measures the cached path).
#include "bench_check.hpp"
#include "bench_clock.hpp"
#include "jwt/jwt.hpp"

#include <benchmark/benchmark.h>
#include <boost/json/array.hpp>

#include <chrono>
#include <string>

namespace gatehouse::bench {
namespace {

constexpr std::string_view kIssuer = "https://team.example.com";
constexpr std::string_view kAudience = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";

std::int64_t unix_seconds(Time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// The claims issue_app_jwt() puts in a service-token JWT, with realistic values.
boost::json::object app_claims() {
  boost::json::object c;
  c["type"] = "app";
  c["aud"] = boost::json::array{boost::json::value(kAudience)};
  c["iss"] = kIssuer;
  c["iat"] = unix_seconds(kBenchNow);
  c["nbf"] = unix_seconds(kBenchNow);
  c["exp"] = unix_seconds(kBenchNow + std::chrono::hours(24));
  c["sub"] = "";
  c["common_name"] = "8f14e45fceea167a5a36dedd4bea2543.access";
  c["service_token_id"] = "9c5b94b1-35ad-49bb-b118-8e8fc24abf80";
  c["identity_nonce"] = "6f1ed002ab5595859014ebf0951522d9";
  return c;
}

struct JwtSetup {
  SigningKey key;
  boost::json::object claims;
  std::string token;
};

// Key generation takes ~100 ms: once per process, shared by both benchmarks.
const JwtSetup& jwt_setup() {
  static const JwtSetup setup = [] {
    auto key = generate_rsa_key();
    require(key.has_value(), "generate_rsa_key failed");
    auto claims = app_claims();
    auto token = sign_jwt(*key, claims);
    require(token.has_value(), "sign_jwt failed");
    return JwtSetup{std::move(*key), std::move(claims), std::move(*token)};
  }();
  return setup;
}

void BM_JwtSignRs256(benchmark::State& state) {
  const auto& s = jwt_setup();
  require(sign_jwt(s.key, s.claims).has_value(), "sign_jwt failed");
  for (auto _ : state) {
    auto token = sign_jwt(s.key, s.claims);
    benchmark::DoNotOptimize(token);
  }
}
BENCHMARK(BM_JwtSignRs256);

void BM_JwtVerifyRs256(benchmark::State& state) {
  const auto& s = jwt_setup();
  // As the snapshot does: the kid names the account's key, which verifies.
  const KeyLookup keys = [&s](std::string_view kid) -> EVP_PKEY* { return kid == s.key.kid() ? s.key.pkey() : nullptr; };
  const VerifyExpectations expect{kAudience, kIssuer, kBenchNow};
  const auto first = verify_jwt(s.token, keys, expect);
  require(first.has_value() && first->at("service_token_id").as_string() == "9c5b94b1-35ad-49bb-b118-8e8fc24abf80",
          "verify_jwt refused the token it should accept");
  for (auto _ : state) {
    auto claims = verify_jwt(s.token, keys, expect);
    benchmark::DoNotOptimize(claims);
  }
}
BENCHMARK(BM_JwtVerifyRs256);

}  // namespace
}  // namespace gatehouse::bench
