#include "admin/api.hpp"

#include "admin/api_token_auth.hpp"
#include "admin/dashboard.hpp"
#include "admin/envelope.hpp"
#include "admin/log_routes.hpp"
#include "admin/routes.hpp"
#include "admin/session_auth.hpp"
#include "service/json_views.hpp"

namespace gatehouse::admin {

namespace json = boost::json;

namespace {

bool is_read_method(std::string_view m) { return m == "GET" || m == "HEAD"; }

// The caller: an API token (Authorization: Bearer, or X-Auth-Key), else a dashboard
// session cookie (admin/session_auth.hpp: state-changing requests must prove they
// come from the dashboard's own page). A presented token wins over a cookie.
Result<ApiToken> authenticate(const http::Request& req, Services& s, SessionStore& sessions,
                              const AdminOrigins& origins) {
  auto presented = presented_api_token(req);
  if (!presented) return presented.error();
  if (*presented) return check_api_token(**presented, s);
  if (session_cookie(req)) return session_caller(req, s, sessions, origins);
  return unauthorized("missing_api_token",
                      "this endpoint needs an API token: send \"Authorization: Bearer <API token>\"");
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

// Prometheus scrapes with `authorization: {credentials: <API token>}`; nothing here
// is readable anonymously (compat.md §1.1).
http::Response AdminApi::metrics(const http::Request& req) {
  if (req.method != "GET" && req.method != "HEAD") return method_not_allowed("GET");
  auto caller = authenticate(req, services_, sessions_, origins_);
  if (!caller) return fail(caller.error());
  if (!metrics_) return fail(not_found("no_such_endpoint", "this server exports no metrics"));
  http::Response r;
  r.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.set("Cache-Control", "no-store");
  r.body = metrics_();
  return r;
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
  if (is_dashboard_path(seg)) return handle_dashboard(req, *target, services_, sessions_, origins_);
  if (seg.size() == 1 && seg[0] == "metrics") return metrics(req);
  if (seg.size() < 2 || seg[0] != "client" || seg[1] != "v4")
    return fail(not_found("no_such_endpoint", "no endpoint at " + req.target.substr(0, 128) +
                                                  "; the API lives under /client/v4"));
  if (seg.size() == 3 && seg[2] == "health")
    return req.method == "GET" ? ok(json::object{{"status", "ok"}}) : method_not_allowed("GET");

  auto caller = authenticate(req, services_, sessions_, origins_);
  if (!caller) return fail(caller.error());
  if (!is_read_method(req.method) && caller->scope != Scope::edit)
    return fail(forbidden("insufficient_scope",
                          "the API token \"" + caller->name + "\" has scope read; this change needs scope edit"));

  Call call{req, *target, services_, *caller, Actor{"api_token", caller->id, caller->name}, {}};
  const std::span<const std::string> rest(seg.begin() + 2, seg.end());

  // GET /user/tokens/verify, /accounts/{a}/tokens/verify: is this token good?
  auto verify = [&] {
    if (req.method != "GET") return method_not_allowed("GET");
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
  if (under[0] == "alerting") return route_alerting(call, under.subspan(1));
  if (under[0] == "access" && under.size() >= 2 && under[1] == "logs")
    return route_access_logs(call, under.subspan(2), access_log_);
  if (under[0] == "access" && under.size() >= 2 && under[1] == "keys") return route_keys(call, under.subspan(2));
  if (under[0] == "access" && under.size() >= 2 && under[1] == "apps") return route_apps(call, under.subspan(2));
  if (under[0] == "access" && under.size() >= 2 && under[1] == "policies") return route_policies(call, under.subspan(2));
  if (under[0] == "access" && under.size() >= 2 && under[1] == "organizations")
    return route_organizations(call, under.subspan(2));
  return fail(not_found("no_such_endpoint", "no endpoint at " + req.target.substr(0, 128)));
}

}  // namespace gatehouse::admin
