// The jwt module (jwt/jwt.hpp) on attacker bytes: base64url, the strict JSON parser
// and JWS verification. The first input byte picks a mode (byte % 4), the rest is
// the mode's input:
//
// 0 codec: a base64url text that decodes re-encodes to itself (one accepted encoding
//   per byte string); any bytes encode and decode back. A strictly parsed object
//   equals what Boost.JSON's lenient parser reads (no duplicate silently dropped),
//   and its serialization reparses strictly to the same object.
// 1 forged: the input as a compact token, with a key lookup that hands out our key
//   for any kid (so the fuzzer gets as far as the signature check): it never
//   verifies, and every refusal is a jwt_errc.
// 2 signed payload: the input as the payload of a token we sign with the standard
//   header: never refused for its header or signature; refused exactly when the
//   payload is not a strict JSON object or its claims are wrong; accepted claims are
//   the payload, with exp in the future, our issuer and our audience.
// 3 tampered: a token signed at start-up (which verifies) with single-byte XOR edits
//   (3 input bytes each: position high, low, mask) and, for a remainder of one byte,
//   a truncation: anything that differs from the original is refused.
#include "fuzz_check.hpp"
#include "jwt/jwt.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace gatehouse;
namespace json = boost::json;

namespace {

constexpr std::string_view kIssuer = "https://fuzz.example.com";
constexpr std::string_view kAudience = "fuzz-audience";
const Time kNow = from_micros(1'767'225'600'000'000);  // 2026-01-01T00:00:00Z
constexpr std::int64_t kNowSeconds = 1'767'225'600;

VerifyExpectations expectations() { return VerifyExpectations{.audience = kAudience, .issuer = kIssuer, .now = kNow}; }

// Generated once per process: RSA key generation is slow under the sanitizers.
const SigningKey& key() {
  static const SigningKey k = [] {
    auto generated = generate_rsa_key();
    FUZZ_CHECK(generated.has_value(), "an RSA key can be generated");
    return std::move(*generated);
  }();
  return k;
}

EVP_PKEY* any_kid(std::string_view kid) { return kid.empty() ? nullptr : key().pkey(); }
EVP_PKEY* our_kid(std::string_view kid) { return kid == key().kid() ? key().pkey() : nullptr; }

bool is_jwt_error(const boost::system::error_code& ec) { return ec.category() == jwt_category(); }

// Equality up to the last bits of doubles: Boost.JSON 1.81 parses doubles fast, not
// always correctly rounded, so a double written out and read back can move by an ulp.
bool same(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double(), y = b.get_double();
    return x == y || std::fabs(x - y) <= 1e-15 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!same(x[i], y[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const json::value* other = y.if_contains(kv.key());
      if (other == nullptr || !same(kv.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

void codec(std::string_view in) {
  if (const auto decoded = base64url_decode(in)) {
    FUZZ_CHECK(base64url_encode(*decoded) == in, "an accepted base64url text is the only encoding of its bytes");
  } else {
    FUZZ_CHECK(decoded.error() == jwt_errc::bad_base64, "a refused base64url text is bad_base64");
  }
  const std::string encoded = base64url_encode(in);
  FUZZ_CHECK(encoded.size() == (in.size() * 4 + 2) / 3, "unpadded base64url length");
  const auto back = base64url_decode(encoded);
  FUZZ_CHECK(back.has_value() && *back == in, "encode then decode gives the bytes back");

  const auto strict = parse_json_object_strict(in);
  if (!strict) {
    FUZZ_CHECK(is_jwt_error(strict.error()), "a refused JSON text is a jwt_errc");
    return;
  }
  json::parse_options lenient_options;
  lenient_options.max_depth = 64;
  boost::system::error_code ec;
  const json::value lenient = json::parse(in, ec, {}, lenient_options);
  FUZZ_CHECK(!ec && lenient.is_object() && lenient.get_object() == *strict,
             "the strict parser reads what the lenient one reads");
  const auto again = parse_json_object_strict(json::serialize(*strict));
  FUZZ_CHECK(again.has_value() && same(*again, *strict), "a strict object's serialization reparses equal");
}

void forged(std::string_view token) {
  const auto r = verify_jwt(token, any_kid, expectations());
  FUZZ_CHECK(!r.has_value(), "a token we did not sign never verifies");
  FUZZ_CHECK(is_jwt_error(r.error()), "every refusal is a jwt_errc");
  FUZZ_CHECK(r.error() != jwt_errc::internal, "hostile input is not an internal error");
}

std::string standard_header() {
  json::object h;
  h["alg"] = "RS256";
  h["kid"] = key().kid();
  h["typ"] = "JWT";
  return json::serialize(h);
}

void signed_payload(std::string_view payload) {
  std::string token = base64url_encode(standard_header()) + "." + base64url_encode(payload);
  const auto signature = sign_rs256_signature(key().pkey(), token);
  FUZZ_CHECK(signature.has_value(), "our key signs");
  token += "." + base64url_encode(*signature);
  const auto r = verify_jwt(token, our_kid, expectations());
  const auto parsed = parse_json_object_strict(payload);
  if (token.size() > kMaxTokenBytes) {
    FUZZ_CHECK(!r && r.error() == jwt_errc::too_large, "an oversized token is refused as too large");
    return;
  }
  if (!parsed) {
    FUZZ_CHECK(!r && r.error() == parsed.error(), "a payload that is not a strict object is refused as such");
    return;
  }
  if (!r) {
    const auto& e = r.error();
    FUZZ_CHECK(e != jwt_errc::bad_signature && e != jwt_errc::unknown_kid && e != jwt_errc::alg_not_allowed &&
                   e != jwt_errc::missing_kid && e != jwt_errc::bad_typ && e != jwt_errc::malformed,
               "our own header and signature are never the reason for a refusal");
    return;
  }
  FUZZ_CHECK(*r == *parsed, "the accepted claims are the payload");
  const json::value* exp = r->if_contains("exp");
  FUZZ_CHECK(exp != nullptr && exp->is_number(), "an accepted token has a numeric exp");
  // exp + leeway (60 s) must lie after now; compared in doubles, which is exact enough
  // away from the boundary and never overflows.
  FUZZ_CHECK(exp->to_number<double>() + 60 > static_cast<double>(kNowSeconds) - 1, "an accepted token is not expired");
  const json::value* iss = r->if_contains("iss");
  FUZZ_CHECK(iss != nullptr && iss->is_string() && iss->get_string() == kIssuer, "an accepted token is our issuer's");
  const json::value* aud = r->if_contains("aud");
  bool ours = aud != nullptr && aud->is_string() && aud->get_string() == kAudience;
  if (aud != nullptr && aud->is_array())
    for (const auto& a : aud->get_array()) ours = ours || (a.is_string() && a.get_string() == kAudience);
  FUZZ_CHECK(ours, "an accepted token names our audience");
}

const std::string& original_token() {
  static const std::string t = [] {
    json::object claims;
    claims["iss"] = kIssuer;
    claims["aud"] = json::array{kAudience};
    claims["sub"] = "";
    claims["iat"] = kNowSeconds;
    claims["nbf"] = kNowSeconds;
    claims["exp"] = kNowSeconds + 3600;
    claims["common_name"] = "0123456789abcdef.access";
    auto token = sign_jwt(key(), claims);
    FUZZ_CHECK(token.has_value(), "we can sign a token");
    FUZZ_CHECK(verify_jwt(*token, our_kid, expectations()).has_value(), "a token we sign verifies");
    return std::move(*token);
  }();
  return t;
}

void tampered(std::string_view edits) {
  std::string token = original_token();
  for (; edits.size() >= 3; edits.remove_prefix(3)) {
    const std::size_t pos = (static_cast<std::uint8_t>(edits[0]) << 8 | static_cast<std::uint8_t>(edits[1])) % token.size();
    token[pos] = static_cast<char>(token[pos] ^ edits[2]);
  }
  if (edits.size() == 1) token.resize(static_cast<std::uint8_t>(edits[0]) % token.size());
  const auto r = verify_jwt(token, our_kid, expectations());
  FUZZ_CHECK(r.has_value() == (token == original_token()), "a token verifies only unchanged");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: codec(rest); break;
    case 1: forged(rest); break;
    case 2: signed_payload(rest); break;
    default: tampered(rest); break;
  }
  return 0;
}
