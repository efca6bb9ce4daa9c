#include "jwt/errc.hpp"

#include <array>
#include <string>

namespace gatehouse {
namespace {

struct Entry {
  jwt_errc code;
  std::string_view slug;
  std::string_view message;
};

// The one message table. Messages never contain token bytes or key material.
constexpr std::array kTable{
    Entry{jwt_errc::too_large, "jwt_too_large", "the JWT is larger than 8 KiB"},
    Entry{jwt_errc::malformed, "jwt_malformed", "the JWT is not three dot-separated segments (JWS compact serialization)"},
    Entry{jwt_errc::bad_base64, "jwt_bad_base64", "a JWT segment is not valid unpadded base64url"},
    Entry{jwt_errc::bad_json, "jwt_bad_json", "a JWT segment is not valid JSON"},
    Entry{jwt_errc::duplicate_key, "jwt_duplicate_key", "a JWT header or payload repeats a member name"},
    Entry{jwt_errc::not_an_object, "jwt_not_an_object", "a JWT header or payload is not a JSON object"},
    Entry{jwt_errc::alg_not_allowed, "jwt_alg_not_allowed", "the JWT algorithm is not RS256"},
    Entry{jwt_errc::bad_typ, "jwt_bad_typ", "the JWT typ header is not \"JWT\""},
    Entry{jwt_errc::embedded_key, "jwt_embedded_key", "the JWT header carries a key or key URL (jwk, jku, x5u, x5c)"},
    Entry{jwt_errc::crit_unsupported, "jwt_crit_unsupported", "the JWT header lists critical extensions"},
    Entry{jwt_errc::missing_kid, "jwt_missing_kid", "the JWT header has no string kid"},
    Entry{jwt_errc::unknown_kid, "jwt_unknown_kid", "the JWT kid names no current or recent signing key"},
    Entry{jwt_errc::key_unsuitable, "jwt_key_unsuitable", "the key for this kid is not an RSA key of 2048 bits or more"},
    Entry{jwt_errc::bad_signature, "jwt_bad_signature", "the JWT signature does not verify"},
    Entry{jwt_errc::bad_claim_type, "jwt_bad_claim_type", "a JWT claim (exp, nbf, iat, iss or aud) has the wrong type"},
    Entry{jwt_errc::missing_exp, "jwt_missing_exp", "the JWT has no exp claim"},
    Entry{jwt_errc::expired, "jwt_expired", "the JWT has expired"},
    Entry{jwt_errc::not_yet_valid, "jwt_not_yet_valid", "the JWT is not valid yet (nbf)"},
    Entry{jwt_errc::issued_in_future, "jwt_issued_in_future", "the JWT was issued in the future (iat)"},
    Entry{jwt_errc::missing_issuer, "jwt_missing_issuer", "the JWT has no iss claim"},
    Entry{jwt_errc::issuer_mismatch, "jwt_issuer_mismatch", "the JWT was issued by another issuer"},
    Entry{jwt_errc::missing_audience, "jwt_missing_audience", "the JWT has no aud claim"},
    Entry{jwt_errc::audience_mismatch, "jwt_audience_mismatch", "the JWT is for another application (aud)"},
    Entry{jwt_errc::key_invalid, "jwt_key_invalid", "the key is not a usable RSA key of 2048 bits or more"},
    Entry{jwt_errc::bad_argument, "jwt_bad_argument", "an argument is out of range"},
    Entry{jwt_errc::key_blob_malformed, "jwt_key_blob_malformed", "the encrypted key is not a v1 blob"},
    Entry{jwt_errc::key_decrypt_failed, "jwt_key_decrypt_failed", "the encrypted key does not open with this master key (wrong key or tampered)"},
    Entry{jwt_errc::internal, "jwt_internal", "OpenSSL failed unexpectedly"},
};

const Entry* find(int value) noexcept {
  for (const auto& e : kTable) {
    if (static_cast<int>(e.code) == value) return &e;
  }
  return nullptr;
}

// boost::system::error_category has a protected non-virtual destructor by design
// (categories are never deleted through the base), which -Wnon-virtual-dtor flags.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class JwtCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gatehouse.jwt"; }
  std::string message(int ev) const override {
    const Entry* e = find(ev);
    return e ? std::string(e->message) : "unknown jwt error";
  }
};
#pragma GCC diagnostic pop

}  // namespace

const boost::system::error_category& jwt_category() noexcept {
  static const JwtCategory category;
  return category;
}

std::string_view jwt_reason_slug(jwt_errc e) noexcept {
  const Entry* entry = find(static_cast<int>(e));
  return entry ? entry->slug : std::string_view("jwt_internal");
}

std::string_view jwt_reason_slug(const boost::system::error_code& ec) noexcept {
  if (ec.category() != jwt_category()) return "jwt_internal";
  return jwt_reason_slug(static_cast<jwt_errc>(ec.value()));
}

Error to_error(const boost::system::error_code& ec) {
  // Token problems are the client's (401); key storage problems are ours (500).
  const bool token_problem = ec.category() == jwt_category() &&
                             ec.value() < static_cast<int>(jwt_errc::key_invalid);
  return Error{token_problem ? 401 : 500, std::string(jwt_reason_slug(ec)), ec.message()};
}

}  // namespace gatehouse
