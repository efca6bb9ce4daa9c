#include "admin/api_token_auth.hpp"

#include "core/ids.hpp"
#include "crypto/crypto.hpp"

namespace gatehouse::admin {

namespace {

Result<ApiToken> usable(ApiToken t, Time now) {
  if (t.revoked_at)
    return unauthorized("api_token_revoked",
                        "the API token \"" + t.name + "\" was revoked at " + format_rfc3339(*t.revoked_at));
  if (!t.usable_at(now))
    return unauthorized("api_token_expired",
                        "the API token \"" + t.name + "\" expired at " + format_rfc3339(*t.expires_at));
  return t;
}

}  // namespace

Result<std::optional<std::string_view>> presented_api_token(const http::Request& req) {
  const auto auth_count = req.header_count("Authorization");
  if (auth_count > 1) return unauthorized("ambiguous_credentials", "more than one Authorization header was sent");
  if (auth_count == 1) {
    std::string_view v = req.header("Authorization");
    constexpr std::string_view bearer = "bearer ";
    if (v.size() <= bearer.size() || !http::iequals(v.substr(0, bearer.size()), bearer))
      return unauthorized("invalid_api_token", "the Authorization header must be \"Bearer <API token>\"");
    std::string_view presented = v.substr(bearer.size());
    while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
    while (!presented.empty() && presented.back() == ' ') presented.remove_suffix(1);
    return std::optional<std::string_view>(presented);
  }
  if (req.header_count("X-Auth-Key") == 1) return std::optional<std::string_view>(req.header("X-Auth-Key"));
  return std::optional<std::string_view>();
}

Result<ApiToken> check_api_token(std::string_view presented, Services& s) {
  if (!is_well_formed_api_token(presented))
    return unauthorized("invalid_api_token", "the API token is malformed (wrong length, prefix or checksum)");
  auto found = s.store.find_api_token_by_hash(sha256_hex(presented));
  if (!found) return found.error();
  if (!*found) return unauthorized("invalid_api_token", "the API token is not known");
  return usable(std::move(**found), s.clock.now());
}

Result<ApiToken> recheck_api_token(std::string_view account_id, std::string_view id, Services& s) {
  auto found = s.store.find_api_token(account_id, id);
  if (!found) return found.error();
  if (!*found) return unauthorized("api_token_deleted", "the API token behind this session no longer exists");
  return usable(std::move(**found), s.clock.now());
}

}  // namespace gatehouse::admin
