#include "jwt/jws_verify.hpp"

#include "jwt/base64url.hpp"
#include "jwt/rs256.hpp"
#include "jwt/rsa_key.hpp"
#include "jwt/strict_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

namespace gatehouse {
namespace {

namespace json = boost::json;

struct Segments {
  std::string_view header, payload, signature, signing_input;
};

std::optional<Segments> split(std::string_view token) {
  const auto d1 = token.find('.');
  if (d1 == std::string_view::npos) return std::nullopt;
  const auto d2 = token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos) return std::nullopt;
  return Segments{token.substr(0, d1), token.substr(d1 + 1, d2 - d1 - 1), token.substr(d2 + 1),
                  token.substr(0, d2)};
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

// RFC 7515 §4.1: only what we need and what is dangerous is looked at.
jwt_errc check_header(const json::object& header) {
  const json::value* alg = header.if_contains("alg");
  const json::string* alg_s = alg ? alg->if_string() : nullptr;
  if (alg_s == nullptr || *alg_s != "RS256") return jwt_errc::alg_not_allowed;
  // Keys and key URLs in the token would let the sender choose the key (RFC 8725 §3.10).
  for (const char* name : {"jwk", "jku", "x5u", "x5c"}) {
    if (header.contains(name)) return jwt_errc::embedded_key;
  }
  // RFC 7515 §4.1.11: a recipient must reject extensions it does not understand; we know none.
  if (header.contains("crit")) return jwt_errc::crit_unsupported;
  if (const json::value* typ = header.if_contains("typ")) {
    const json::string* typ_s = typ->if_string();
    if (typ_s == nullptr || !iequals(*typ_s, "JWT")) return jwt_errc::bad_typ;
  }
  const json::value* kid = header.if_contains("kid");
  if (kid == nullptr || !kid->is_string()) return jwt_errc::missing_kid;
  return jwt_errc{};
}

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / kMicrosPerSecond;

// A NumericDate (RFC 7519 §2: seconds, possibly fractional) as microseconds, saturated
// far outside any real date; nullopt if the value is not a finite number.
std::optional<std::int64_t> numeric_date_micros(const json::value& v) {
  if (const auto* i = v.if_int64()) return std::clamp(*i, -kMaxSeconds, kMaxSeconds) * kMicrosPerSecond;
  if (const auto* u = v.if_uint64()) {
    return static_cast<std::int64_t>(std::min<std::uint64_t>(*u, kMaxSeconds)) * kMicrosPerSecond;
  }
  if (const auto* d = v.if_double()) {
    if (!std::isfinite(*d)) return std::nullopt;
    const double clamped = std::clamp(*d, -static_cast<double>(kMaxSeconds), static_cast<double>(kMaxSeconds));
    return static_cast<std::int64_t>(std::floor(clamped * static_cast<double>(kMicrosPerSecond)));
  }
  return std::nullopt;
}

jwt_errc check_times(const json::object& claims, const VerifyExpectations& expect) {
  const std::int64_t now = to_micros(expect.now);
  const std::int64_t leeway =
      std::clamp<std::int64_t>(expect.leeway.count(), 0, 24 * 3600) * kMicrosPerSecond;

  const json::value* exp = claims.if_contains("exp");
  if (exp == nullptr) return jwt_errc::missing_exp;
  const auto exp_us = numeric_date_micros(*exp);
  if (!exp_us) return jwt_errc::bad_claim_type;
  // RFC 7519 §4.1.4: not accepted on or after exp.
  if (now - leeway >= *exp_us) return jwt_errc::expired;

  if (const json::value* nbf = claims.if_contains("nbf")) {
    const auto nbf_us = numeric_date_micros(*nbf);
    if (!nbf_us) return jwt_errc::bad_claim_type;
    if (*nbf_us > now + leeway) return jwt_errc::not_yet_valid;
  }
  if (const json::value* iat = claims.if_contains("iat")) {
    const auto iat_us = numeric_date_micros(*iat);
    if (!iat_us) return jwt_errc::bad_claim_type;
    if (*iat_us > now + leeway) return jwt_errc::issued_in_future;
  }
  return jwt_errc{};
}

jwt_errc check_issuer(const json::object& claims, std::string_view expected) {
  const json::value* iss = claims.if_contains("iss");
  if (iss == nullptr) return jwt_errc::missing_issuer;
  const json::string* s = iss->if_string();
  if (s == nullptr) return jwt_errc::bad_claim_type;
  if (expected.empty() || *s != expected) return jwt_errc::issuer_mismatch;
  return jwt_errc{};
}

// RFC 7519 §4.1.3: aud is a string or an array of strings; ours must be among them.
jwt_errc check_audience(const json::object& claims, std::string_view expected) {
  const json::value* aud = claims.if_contains("aud");
  if (aud == nullptr) return jwt_errc::missing_audience;
  bool found = false;
  if (const json::string* s = aud->if_string()) {
    found = *s == expected;
  } else if (const json::array* a = aud->if_array()) {
    for (const json::value& item : *a) {
      const json::string* s_item = item.if_string();
      if (s_item == nullptr) return jwt_errc::bad_claim_type;
      found = found || *s_item == expected;
    }
  } else {
    return jwt_errc::bad_claim_type;
  }
  if (expected.empty() || !found) return jwt_errc::audience_mismatch;
  return jwt_errc{};
}

}  // namespace

JwtResult<json::object> verify_jwt(std::string_view token, const KeyLookup& keys,
                                   const VerifyExpectations& expect) {
  if (token.size() > kMaxTokenBytes) return jwt_errc::too_large;
  const auto segments = split(token);
  if (!segments) return jwt_errc::malformed;

  // Syntax of all three segments first, so that a mangled token is reported as such
  // rather than as a bad signature.
  auto header_bytes = base64url_decode(segments->header);
  if (!header_bytes) return header_bytes.error();
  auto payload_bytes = base64url_decode(segments->payload);
  if (!payload_bytes) return payload_bytes.error();
  auto signature = base64url_decode(segments->signature);
  if (!signature) return signature.error();

  auto header = parse_json_object_strict(*header_bytes);
  if (!header) return header.error();
  if (const jwt_errc e = check_header(*header); e != jwt_errc{}) return e;

  EVP_PKEY* key = keys ? keys(header->if_contains("kid")->get_string()) : nullptr;
  if (key == nullptr) return jwt_errc::unknown_kid;
  if (!is_rs256_key(key)) return jwt_errc::key_unsuitable;
  if (!verify_rs256_signature(key, segments->signing_input, *signature)) return jwt_errc::bad_signature;

  // The payload is parsed only once it is known to be ours.
  auto claims = parse_json_object_strict(*payload_bytes);
  if (!claims) return claims.error();
  if (const jwt_errc e = check_times(*claims, expect); e != jwt_errc{}) return e;
  if (const jwt_errc e = check_issuer(*claims, expect.issuer); e != jwt_errc{}) return e;
  if (const jwt_errc e = check_audience(*claims, expect.audience); e != jwt_errc{}) return e;
  return claims;
}

}  // namespace gatehouse
