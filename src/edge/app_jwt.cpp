#include "edge/app_jwt.hpp"

#include "core/ids.hpp"
#include "crypto/crypto.hpp"
#include "jwt/jws_sign.hpp"
#include "jwt/jws_verify.hpp"

#include <boost/json/array.hpp>

#include <unordered_map>

namespace gatehouse::edge {

namespace {

constexpr std::size_t kMaxCacheEntries = 50'000;
constexpr std::chrono::seconds kLeeway{60};

std::int64_t unix_seconds(Time t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(); }

struct IssueEntry {
  IssuedJwt jwt;
  std::string kid;
  std::string issuer;  // the iss it carries: a new auth_domain needs a new JWT
  std::int64_t session_seconds = 0;
  std::int64_t revocation_epoch = 0;
};

struct VerifyEntry {
  VerifiedJwt jwt;
  std::string kid;
  std::string aud;
  std::string issuer;  // the account's issuer it was checked against (auth_domain can change)
};

// Per thread: no locks on the hot path. Each edge thread warms its own cache.
thread_local std::unordered_map<std::string, IssueEntry> issue_cache;
thread_local std::unordered_map<std::string, VerifyEntry> verify_cache;

template <class Map>
void bound(Map& m) {
  if (m.size() >= kMaxCacheEntries) m.clear();  // crude but bounded; refills on demand
}

}  // namespace

std::int64_t revocation_epoch(const App& app) {
  return app.tokens_revoked_before ? to_micros(*app.tokens_revoked_before) : 0;
}

std::optional<IssuedJwt> issue_app_jwt(const AppView& app, std::string_view token_id, std::string_view client_id,
                                       std::chrono::seconds session, Time now) {
  const auto& key = app.account->signing_key;
  if (!key) return std::nullopt;
  std::string cache_key(token_id);
  cache_key += '/';
  cache_key += app.app.id;
  if (auto it = issue_cache.find(cache_key); it != issue_cache.end()) {
    const auto& e = it->second;
    const auto half_life = (e.jwt.expires_at - e.jwt.issued_at) / 2;
    const bool revoked = e.revocation_epoch != revocation_epoch(app.app);
    if (!revoked && e.kid == key->kid() && e.issuer == app.account->issuer && e.session_seconds == session.count() &&
        now < e.jwt.issued_at + half_life && now >= e.jwt.issued_at)
      return e.jwt;
  }
  thread_local OsRandom random;
  const Time iat = std::chrono::floor<std::chrono::seconds>(now);
  const Time exp = iat + session;
  boost::json::object claims;
  claims["type"] = "app";
  claims["aud"] = boost::json::array{boost::json::value(app.app.aud)};
  claims["iss"] = app.account->issuer;
  claims["iat"] = unix_seconds(iat);
  claims["nbf"] = unix_seconds(iat);
  claims["exp"] = unix_seconds(exp);
  claims["sub"] = "";
  claims["common_name"] = client_id;
  claims["service_token_id"] = token_id;
  claims["identity_nonce"] = new_hex(random, 16);
  // Which revoke_tokens generation this JWT belongs to: exact where whole-second iat
  // could not tell "issued just before" from "just after" a revocation.
  const std::int64_t epoch = revocation_epoch(app.app);
  if (epoch != 0) claims["gh_revocation_epoch"] = epoch;
  auto signed_token = sign_jwt(*key, claims);
  if (!signed_token) return std::nullopt;
  IssuedJwt jwt{std::move(*signed_token), iat, exp};
  bound(issue_cache);
  issue_cache[cache_key] = IssueEntry{jwt, key->kid(), app.account->issuer, session.count(), epoch};
  return jwt;
}

JwtCheck verify_app_jwt(const AppView& app, std::string_view token, Time now) {
  const auto& keys = app.account->verify_keys;
  std::string cache_key(token);
  if (auto it = verify_cache.find(cache_key); it != verify_cache.end()) {
    const auto& e = it->second;
    // Still published, still this app and issuer, not expired: the signature was checked before.
    if (e.aud == app.app.aud && e.issuer == app.account->issuer && keys.count(e.kid) &&
        now < e.jwt.expires_at + kLeeway)
      return {e.jwt, {}};
    verify_cache.erase(it);
  }
  std::string kid_seen;
  KeyLookup lookup = [&](std::string_view kid) -> EVP_PKEY* {
    auto it = keys.find(std::string(kid));
    if (it == keys.end()) return nullptr;
    kid_seen = it->first;
    return it->second.get();
  };
  auto claims = verify_jwt(token, lookup, VerifyExpectations{app.app.aud, app.account->issuer, now, kLeeway});
  if (!claims) return {std::nullopt, jwt_reason_slug(claims.error())};
  VerifiedJwt v;
  if (const auto* id = claims->if_contains("service_token_id"); id && id->is_string()) v.service_token_id = id->as_string();
  if (const auto* cn = claims->if_contains("common_name"); cn && cn->is_string()) v.common_name = cn->as_string();
  auto number = [&](const char* k) -> std::int64_t {
    const auto* n = claims->if_contains(k);
    if (!n) return 0;
    if (n->is_int64()) return n->as_int64();
    if (n->is_uint64()) return static_cast<std::int64_t>(n->as_uint64());
    if (n->is_double()) return static_cast<std::int64_t>(n->as_double());
    return 0;
  };
  v.issued_at = Time(std::chrono::seconds(number("iat")));
  v.revocation_epoch = number("gh_revocation_epoch");
  v.expires_at = Time(std::chrono::seconds(number("exp")));
  bound(verify_cache);
  verify_cache.emplace(std::move(cache_key), VerifyEntry{v, kid_seen, app.app.aud, app.account->issuer});
  return {std::move(v), {}};
}

}  // namespace gatehouse::edge
