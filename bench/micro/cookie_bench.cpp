// Credential extraction (edge/credentials.hpp) from a browser-like request: a Cookie
// header with CF_Authorization among analytics and session cookies. For comparison,
// the two service-token headers, which is what automated clients send.
#include "bench_check.hpp"
#include "edge/credentials.hpp"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace gatehouse::bench {
namespace {

using edge::Credentials;
using edge::HeaderRef;
using edge::RequestHead;

// Shaped like an app JWT (header.payload.signature, ~850 bytes): the parser only
// splits on ';' and '=', so the bytes need not verify.
std::string jwt_shaped() {
  return "eyJhbGciOiJSUzI1NiIsImtpZCI6IjQ3MTRjMTM1OGU2NWZlNGI0MDhhZDZkNDMyYTVmODc4ZjA4MTk0YmRiNDc1MjQ0MWZkNTZmYWVmYTliMmI2ZjIiLCJ0eXAiOiJKV1QifQ." +
         std::string(430, 'e') + "." + std::string(342, 's');
}

struct CookieRequest {
  std::string jwt = jwt_shaped();
  std::string cookie = "_ga=GA1.2.1234567890.1700000000; session=6f1ed002ab5595859014ebf0951522d9; theme=dark; "
                       "CF_Authorization=" + jwt + "; _gid=GA1.2.987654321.1700000000";
  std::vector<HeaderRef> headers{{"Host", "api.example.com"},
                                 {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"},
                                 {"Accept", "text/html,application/xhtml+xml"},
                                 {"Accept-Language", "en-GB,en;q=0.5"},
                                 {"Cookie", cookie}};
  RequestHead head() const {
    RequestHead h;
    h.method = "GET";
    h.target = "/dashboard";
    h.headers = headers;
    return h;
  }
};

void BM_ExtractCredentials_Cookie(benchmark::State& state) {
  const CookieRequest r;
  const RequestHead head = r.head();
  const auto first = edge::extract_credentials(head, "", false);
  require(first.kind == Credentials::Kind::jwt && first.jwt_from_cookie && first.jwt == r.jwt,
          "CF_Authorization was not found in the Cookie header");
  for (auto _ : state) benchmark::DoNotOptimize(edge::extract_credentials(head, "", false));
}
BENCHMARK(BM_ExtractCredentials_Cookie);

// The cookie scan alone, without copying the JWT out.
void BM_FindCookie(benchmark::State& state) {
  const CookieRequest r;
  const RequestHead head = r.head();
  bool duplicate = false;
  require(edge::find_cookie(head, "CF_Authorization", duplicate) == r.jwt && !duplicate, "find_cookie missed it");
  for (auto _ : state) benchmark::DoNotOptimize(edge::find_cookie(head, "CF_Authorization", duplicate));
}
BENCHMARK(BM_FindCookie);

void BM_ExtractCredentials_TokenHeaders(benchmark::State& state) {
  // A secret of the right shape, plainly not a real one (and not a literal a secret
  // scanner would flag): extraction only reads it, nothing checks it here.
  const std::string secret = "cfast_" + std::string(40, 'x') + std::string(8, '0');
  const std::vector<HeaderRef> headers{{"Host", "api.example.com"},
                                       {"User-Agent", "curl/7.88.1"},
                                       {"Accept", "*/*"},
                                       {"CF-Access-Client-Id", "8f14e45fceea167a5a36dedd4bea2543.access"},
                                       {"CF-Access-Client-Secret", secret}};
  RequestHead head;
  head.headers = headers;
  const auto first = edge::extract_credentials(head, "", false);
  require(first.kind == Credentials::Kind::service_token && first.client_id == "8f14e45fceea167a5a36dedd4bea2543.access",
          "the service-token headers were not read");
  for (auto _ : state) benchmark::DoNotOptimize(edge::extract_credentials(head, "", false));
}
BENCHMARK(BM_ExtractCredentials_TokenHeaders);

}  // namespace
}  // namespace gatehouse::bench
