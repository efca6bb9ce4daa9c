// The edge's credential extraction (edge/credentials.hpp) over attacker-chosen headers.
//
// Input: the first byte picks the app settings (bit 0: strict_service_token_auth,
// bits 1-3: the name of read_service_tokens_from_header, possibly a name the edge
// also reads itself); the rest is header lines "name:value" separated by '\n'.
//
// Properties, checked against our own count of the headers (not the code's):
// - a refusal carries one of the known slugs and no credential;
// - two id or two secret headers are refused as duplicated, one without the other
//   as incomplete;
// - a service token has a non-empty client id and secret, and comes from the two
//   headers or from exactly one single header;
// - a JWT comes from exactly one cf-access-token header, or (not strict) from a
//   non-empty CF_Authorization cookie that no cf-access-token header overrides;
// - "no credentials" means none of those headers or cookies was sent.
#include "edge/credentials.hpp"
#include "fuzz_check.hpp"
#include "http/message.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

using namespace gatehouse::edge;
using gatehouse::http::iequals;

namespace {

constexpr std::array<std::string_view, 8> kSingleHeaders = {
    "", "X-Creds", "Authorization", "cf-access-token", "CF-Access-Client-Id", "Cookie", "x-creds", "X-Other"};

std::size_t count(const std::vector<HeaderRef>& hs, std::string_view name) {
  std::size_t n = 0;
  for (const auto& h : hs) n += iequals(h.name, name) ? 1 : 0;
  return n;
}

bool known_refusal(std::string_view slug) {
  return slug == "credentials_duplicated" || slug == "credentials_incomplete" || slug == "credentials_ambiguous" ||
         slug == "credentials_malformed";
}

// Whether `v` points into `whole`: extracted values are views of what was received.
bool inside(std::string_view v, std::string_view whole) {
  return v.empty() || (v.data() >= whole.data() && v.data() + v.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool strict = (data[0] & 1) != 0;
  const std::string_view single = kSingleHeaders[(data[0] >> 1) & 7];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::vector<HeaderRef> headers;
  for (std::string_view rest = input; !rest.empty();) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
  }
  RequestHead head;
  head.method = "GET";
  head.target = "/";
  head.headers = headers;

  const Credentials c = extract_credentials(head, single, strict);
  const std::size_t ids = count(headers, "CF-Access-Client-Id");
  const std::size_t secrets = count(headers, "CF-Access-Client-Secret");
  const std::size_t token_headers = count(headers, "cf-access-token");
  const std::size_t singles = single.empty() ? 0 : count(headers, single);
  bool duplicate_cookie = false;
  const std::string_view cookie = find_cookie(head, "CF_Authorization", duplicate_cookie);
  FUZZ_CHECK(inside(cookie, input), "the cookie value is a view of a received header");

  if (ids > 1 || secrets > 1) FUZZ_CHECK(c.error == "credentials_duplicated", "repeated token headers are refused");
  else if (ids != secrets) FUZZ_CHECK(c.error == "credentials_incomplete", "a lone id or secret is refused");

  if (!c.error.empty()) {
    FUZZ_CHECK(known_refusal(c.error), "a refusal has a known slug");
    FUZZ_CHECK(c.kind == Credentials::Kind::none, "a refusal carries no credential kind");
    FUZZ_CHECK(c.client_id.empty() && c.client_secret.empty() && c.jwt.empty(), "a refusal carries no credential");
    return 0;
  }
  if (ids == 1) FUZZ_CHECK(c.kind == Credentials::Kind::service_token, "an id and a secret are a service token");
  if (c.kind != Credentials::Kind::service_token) FUZZ_CHECK(singles == 0, "a single header is read or refused");
  switch (c.kind) {
    case Credentials::Kind::service_token:
      FUZZ_CHECK(!c.client_id.empty() && !c.client_secret.empty(), "a service token has an id and a secret");
      FUZZ_CHECK(c.jwt.empty() && !c.jwt_from_cookie, "a service token carries no JWT");
      FUZZ_CHECK((ids == 1 && secrets == 1) != (singles == 1), "from the two headers or one single header, not both");
      break;
    case Credentials::Kind::jwt:
      FUZZ_CHECK(c.client_id.empty() && c.client_secret.empty(), "a JWT carries no client id or secret");
      FUZZ_CHECK(ids == 0 && secrets == 0, "token headers take precedence over a JWT");
      if (c.jwt_from_cookie) {
        FUZZ_CHECK(!strict, "strict mode ignores cookies");
        FUZZ_CHECK(token_headers == 0, "the cf-access-token header takes precedence over the cookie");
        FUZZ_CHECK(!duplicate_cookie && !c.jwt.empty() && c.jwt == cookie, "the JWT is the one cookie value");
      } else {
        // May be empty ("cf-access-token:"): the gate then refuses it as a malformed JWT.
        FUZZ_CHECK(token_headers == 1, "a header JWT comes from exactly one cf-access-token header");
      }
      break;
    case Credentials::Kind::none:
      FUZZ_CHECK(c.client_id.empty() && c.client_secret.empty() && c.jwt.empty(), "none carries nothing");
      FUZZ_CHECK(ids == 0 && secrets == 0 && token_headers == 0, "no credential headers were sent");
      FUZZ_CHECK(strict || cookie.empty(), "no CF_Authorization cookie was sent (unless strict)");
      break;
  }
  return 0;
}
