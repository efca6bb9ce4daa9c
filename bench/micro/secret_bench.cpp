// The client-secret check every CF-Access-Client-Secret request pays
// (auth/service_token_auth.hpp): shape and CRC-32 checksum, SHA-256, and constant-time
// comparison against the stored hash(es).
#include "auth/service_token_auth.hpp"
#include "bench_check.hpp"
#include "bench_clock.hpp"
#include "core/ids.hpp"
#include "crypto/crypto.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace gatehouse::bench {
namespace {

struct SecretSetup {
  ServiceToken token;
  std::string secret;        // the token's secret
  std::string wrong_secret;  // well formed (checksum ok) but another token's
};

const SecretSetup& secret_setup() {
  static const SecretSetup setup = [] {
    OsRandom random;
    SecretSetup s;
    s.secret = new_client_secret(random);
    s.wrong_secret = new_client_secret(random);
    s.token.id = "9c5b94b1-35ad-49bb-b118-8e8fc24abf80";
    s.token.client_id = "8f14e45fceea167a5a36dedd4bea2543.access";
    s.token.expires_at = kBenchNow + std::chrono::hours(24 * 365);
    s.token.secret_hash = sha256_hex(s.secret);
    return s;
  }();
  return setup;
}

void BM_Sha256Hex(benchmark::State& state) {
  const auto& s = secret_setup();
  require(sha256_hex(s.secret) == s.token.secret_hash, "sha256_hex is not stable");
  for (auto _ : state) benchmark::DoNotOptimize(sha256_hex(s.secret));
}
BENCHMARK(BM_Sha256Hex);

void BM_CheckClientSecret_Correct(benchmark::State& state) {
  const auto& s = secret_setup();
  require(check_client_secret(s.token, s.secret, kBenchNow).ok, "the right secret was refused");
  for (auto _ : state) benchmark::DoNotOptimize(check_client_secret(s.token, s.secret, kBenchNow));
}
BENCHMARK(BM_CheckClientSecret_Correct);

// A wrong but well-formed secret is hashed and compared too: the same work as a hit.
void BM_CheckClientSecret_Wrong(benchmark::State& state) {
  const auto& s = secret_setup();
  require(check_client_secret(s.token, s.wrong_secret, kBenchNow).reason == "bad_secret", "a wrong secret passed");
  for (auto _ : state) benchmark::DoNotOptimize(check_client_secret(s.token, s.wrong_secret, kBenchNow));
}
BENCHMARK(BM_CheckClientSecret_Wrong);

// With a rotated secret in its grace period both hashes are compared.
void BM_CheckClientSecret_PreviousInGrace(benchmark::State& state) {
  auto token = secret_setup().token;
  OsRandom random;
  const std::string previous = new_client_secret(random);
  token.previous_secret_hash = sha256_hex(previous);
  token.previous_client_secret_expires_at = kBenchNow + std::chrono::hours(1);
  token.client_secret_version = 2;
  const auto first = check_client_secret(token, previous, kBenchNow);
  require(first.ok && first.client_secret_version == 1, "the in-grace previous secret was refused");
  for (auto _ : state) benchmark::DoNotOptimize(check_client_secret(token, previous, kBenchNow));
}
BENCHMARK(BM_CheckClientSecret_PreviousInGrace);

// A mistyped secret (bad checksum) is refused before hashing.
void BM_CheckClientSecret_Malformed(benchmark::State& state) {
  const auto& s = secret_setup();
  std::string mistyped = s.secret;
  mistyped.back() = mistyped.back() == '0' ? '1' : '0';
  require(!is_well_formed_client_secret(mistyped), "the mistyped secret still has a valid checksum");
  require(check_client_secret(s.token, mistyped, kBenchNow).reason == "bad_secret", "a mistyped secret passed");
  for (auto _ : state) benchmark::DoNotOptimize(check_client_secret(s.token, mistyped, kBenchNow));
}
BENCHMARK(BM_CheckClientSecret_Malformed);

}  // namespace
}  // namespace gatehouse::bench
