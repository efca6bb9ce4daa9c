#include "admin/api.hpp"

#include "admin/envelope.hpp"
#include "admin/routes.hpp"
#include "core/ids.hpp"
#include "crypto/crypto.hpp"
#include "service/json_views.hpp"

namespace gatehouse::admin {

namespace json = boost::json;

namespace {

bool is_read_method(std::string_view m) { return m == "GET" || m == "HEAD"; }

// Authorization: Bearer <token>, or X-Auth-Key (Cloudflare's legacy pair; the email
// is not needed to find the token).
Result<ApiToken> authenticate(const http::Request& req, Services& s) {
  std::string_view presented;
  const auto auth_count = req.header_count("Authorization");
  if (auth_count > 1) return unauthorized("ambiguous_credentials", "more than one Authorization header was sent");
  if (auth_count == 1) {
    std::string_view v = req.header("Authorization");
    constexpr std::string_view bearer = "bearer ";
    if (v.size() <= bearer.size() || !http::iequals(v.substr(0, bearer.size()), bearer))
      return unauthorized("invalid_api_token", "the Authorization header must be \"Bearer <API token>\"");
    presented = v.substr(bearer.size());
    while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
    while (!presented.empty() && presented.back() == ' ') presented.remove_suffix(1);
  } else if (req.header_count("X-Auth-Key") == 1) {
    presented = req.header("X-Auth-Key");
  } else {
    return unauthorized("missing_api_token",
                        "this endpoint needs an API token: send \"Authorization: Bearer <API token>\"");
  }
  if (!is_well_formed_api_token(presented))
    return unauthorized("invalid_api_token", "the API token is malformed (wrong length, prefix or checksum)");
  auto found = s.store.find_api_token_by_hash(sha256_hex(presented));
  if (!found) return found.error();
  if (!*found) return unauthorized("invalid_api_token", "the API token is not known");
  const ApiToken& t = **found;
  if (t.revoked_at)
    return unauthorized("api_token_revoked", "the API token \"" + t.name + "\" was revoked at " +
                                                 format_rfc3339(*t.revoked_at));
  if (!t.usable_at(s.clock.now()))
    return unauthorized("api_token_expired", "the API token \"" + t.name + "\" expired at " +
                                                 format_rfc3339(*t.expires_at));
  return t;
}

}  // namespace

http::Response method_not_allowed(std::string_view allowed) {
  auto r = fail(Error{405, "method_not_allowed", "this endpoint supports " + std::string(allowed)});
  r.set("Allow", std::string(allowed));
  return r;
}

http::Response AdminApi::transport_error(int status, std::string_view message) {
  const char* slug = status == 413 ? "payload_too_large"
                     : status == 431 ? "headers_too_large"
                     : status >= 500 ? "internal_error"
                                     : "bad_request";
  return fail(Error{status, slug, std::string(message)});
}

http::Response AdminApi::handle(const http::Request& req) {
  auto target = parse_target(req.target);
  if (!target) return fail(target.error());
  const auto& seg = target->segments;

  if (seg.size() == 1 && seg[0] == "healthz") {
    http::Response r;
    r.set("Content-Type", "text/plain");
    r.body = "ok\n";
    return r;
  }
  if (seg.size() < 2 || seg[0] != "client" || seg[1] != "v4")
    return fail(not_found("no_such_endpoint", "no endpoint at " + req.target.substr(0, 128) +
                                                  "; the API lives under /client/v4"));
  if (seg.size() == 3 && seg[2] == "health") return ok(json::object{{"status", "ok"}});

  auto caller = authenticate(req, services_);
  if (!caller) return fail(caller.error());
  if (!is_read_method(req.method) && caller->scope != Scope::edit)
    return fail(forbidden("insufficient_scope",
                          "the API token \"" + caller->name + "\" has scope read; this change needs scope edit"));

  Call call{req, *target, services_, *caller, Actor{"api_token", caller->id, caller->name}, {}};
  const std::span<const std::string> rest(seg.begin() + 2, seg.end());

  // GET /user/tokens/verify, /accounts/{a}/tokens/verify: is this token good?
  auto verify = [&] {
    return ok(json::object{{"id", caller->id},
                           {"status", "active"},
                           {"name", caller->name},
                           {"scope", to_string(caller->scope)},
                           {"account_id", caller->account_id},
                           {"expires_on", json_time(caller->expires_at)}});
  };
  if (rest.size() == 3 && rest[0] == "user" && rest[1] == "tokens" && rest[2] == "verify") return verify();

  if (rest.empty() || rest[0] != "accounts")
    return fail(not_found("no_such_endpoint", "no endpoint at " + req.target.substr(0, 128)));
  if (rest.size() == 1) {
    if (req.method != "GET") return method_not_allowed("GET");
    auto account = services_.store.find_account(caller->account_id);
    if (!account) return fail(account.error());
    json::array items;
    if (*account) items.push_back(to_json(**account));
    return ok_page(std::move(items), PageRequest{1, 20}, static_cast<std::int64_t>(items.size()));
  }

  call.account_id = rest[1];
  if (call.account_id != caller->account_id) {
    auto account = services_.store.find_account(call.account_id);
    if (!account) return fail(account.error());
    if (!*account)
      return fail(not_found("account_not_found", "no account with id \"" + call.account_id.substr(0, 64) + "\""));
    return fail(forbidden("account_forbidden",
                          "the API token \"" + caller->name + "\" has no access to account " + call.account_id));
  }
  const auto under = rest.subspan(2);
  if (under.empty()) return route_account(call);
  if (under[0] == "access" && under.size() >= 2 && under[1] == "service_tokens")
    return route_service_tokens(call, under.subspan(2));
  if (under[0] == "tokens") {
    if (under.size() == 2 && under[1] == "verify") return verify();
    return route_api_tokens(call, under.subspan(1));
  }
  if (under[0] == "audit_logs") return route_audit_logs(call, under.subspan(1));
  if (under[0] == "access" && under.size() >= 2 && under[1] == "keys") return route_keys(call, under.subspan(2));
  if (under[0] == "access" && under.size() >= 2 && under[1] == "apps") return route_apps(call, under.subspan(2));
  if (under[0] == "access" && under.size() >= 2 && under[1] == "policies") return route_policies(call, under.subspan(2));
  if (under[0] == "access" && under.size() >= 2 && under[1] == "organizations")
    return route_organizations(call, under.subspan(2));
  return fail(not_found("no_such_endpoint", "no endpoint at " + req.target.substr(0, 128)));
}

}  // namespace gatehouse::admin
