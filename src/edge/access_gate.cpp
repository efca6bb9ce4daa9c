#include "edge/access_gate.hpp"

#include "auth/service_token_auth.hpp"
#include "edge/app_jwt.hpp"
#include "edge/client_address.hpp"
#include "edge/credentials.hpp"
#include "edge/forward_auth_request.hpp"
#include "edge/responses.hpp"
#include "edge/token_secret.hpp"
#include "policy/canonical_path.hpp"
#include "policy/evaluate.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace gatehouse::edge {

namespace {

using Effect = PolicyOutcome::Effect;

constexpr std::string_view kCdnCgi = "/cdn-cgi/access/";

// What the request is about: for the edge, the request itself; for forward-auth, the
// original request described by the X-Forwarded-* headers.
struct RequestView {
  std::string method;  // of the original request
  std::string host;    // as received (may carry a port)
  std::string target;  // canonical origin-form: what the origin receives
  std::string path;    // canonical path (policy/canonical_path.hpp), what the app is chosen by
  std::optional<IpAddress> client_ip;
  std::string client_ip_text;
  std::string forwarded_for;  // believed X-Forwarded-For (client_address.hpp)
  bool tls = false;
  bool json = true;
  bool forward_auth = false;
};

// A CORS preflight (Fetch standard): browsers send it without credentials, so an app
// with options_preflight_bypass lets the origin answer it (compat.md §1.3).
bool is_cors_preflight(const RequestView& t, const RequestHead& head) {
  return t.method == "OPTIONS" && head.count("Origin") > 0 && head.count("Access-Control-Request-Method") > 0;
}

// The public reason: an unknown client id and a wrong secret look the same from
// outside (the access log keeps the exact slug).
std::string_view public_reason(std::string_view reason) {
  if (reason == "service_token_unknown" || reason == "bad_secret") return "invalid_service_token";
  return reason;
}

std::string_view message_for(std::string_view reason) {
  if (reason == "invalid_service_token") return "the service token credentials are not valid";
  if (reason == "service_token_expired") return "the service token has expired; refresh it";
  if (reason == "service_token_disabled") return "the service token is disabled";
  if (reason == "service_token_deleted") return "the service token behind this session no longer exists";
  if (reason == "policy_denied") return "no policy of this application admits the request";
  if (reason == "policy_blocked") return "a Block policy of this application refuses the request";
  if (reason == "no_credentials") return "this application requires a service token or an Access JWT";
  if (reason == "signing_key_unavailable") return "the gateway has no signing key for this account";
  if (reason.rfind("credentials_", 0) == 0) return "the credential headers are missing, duplicated or malformed";
  if (reason == "cors_not_allowed") return "this origin or method is not allowed by the application's CORS settings";
  if (reason == "jwt_revoked") return "the Access JWT was revoked; authenticate again";
  if (reason.rfind("jwt_", 0) == 0) return "the Access JWT is not valid for this application";
  return "access denied";
}

struct Authentication {
  Identity identity;
  TokenView token;    // authenticated token
  TokenView subject;  // the token the credential names, even when refused
  int secret_version = 0;                 // which secret matched (0: a JWT, or none)
  bool presented = false;
  bool via_headers = false;  // service-token headers (not a JWT)
  std::string_view failure;  // empty when authenticated or nothing presented
  std::string jwt;           // a presented, verified JWT
  std::string service_token_id;
  std::string client_id;  // of `token`, when authenticated by the headers
};

Authentication authenticate(const Snapshot& snap, const AppView& app, const Credentials& creds, Time now) {
  Authentication a;
  if (creds.kind == Credentials::Kind::none) return a;
  a.presented = true;
  if (creds.kind == Credentials::Kind::service_token) {
    a.via_headers = true;
    const TokenView found = snap.tokens->find_by_client_id(creds.client_id);
    const bool known = found && found.account_id() == app.app.account_id;
    if (!known) {
      // Same work as a wrong secret, so timing does not reveal which client ids exist.
      (void)check_unknown_token_secret(creds.client_secret);
      a.failure = "service_token_unknown";
      return a;
    }
    a.subject = found;
    const auto check = check_token_secret(found, creds.client_secret, now);
    if (!check.ok) {
      a.failure = check.reason;
      return a;
    }
    a.secret_version = check.client_secret_version;
    a.token = found;
    a.service_token_id = found.id();
    // The lookup is an exact match on the text, so the presented client id is the
    // stored one: no need to spell it out again from the binary key.
    a.client_id = creds.client_id;
    a.identity.service_token_id = a.service_token_id;
    return a;
  }
  // A JWT: valid for this app, and its service token still exists and is usable.
  const auto checked = verify_app_jwt(app, creds.jwt, now);
  if (!checked.jwt) {
    a.failure = checked.reason;
    return a;
  }
  // POST …/apps/{id}/revoke_tokens: JWTs issued before the latest revocation carry an
  // older generation (or none) and are refused.
  if (checked.jwt->revocation_epoch != revocation_epoch(app.app)) {
    a.failure = "jwt_revoked";
    return a;
  }
  if (checked.jwt->service_token_id.empty()) {
    a.failure = "jwt_not_a_service_token";
    return a;
  }
  const TokenView t = snap.tokens->find_by_id(checked.jwt->service_token_id);
  if (!t || t.account_id() != app.app.account_id) {
    a.failure = "service_token_deleted";
    return a;
  }
  a.subject = t;
  if (!t.enabled()) {
    a.failure = "service_token_disabled";
    return a;
  }
  if (t.expired(now)) {
    a.failure = "service_token_expired";
    return a;
  }
  a.token = t;
  a.jwt = creds.jwt;
  // Exact match on the text: the JWT's id is the stored one.
  a.service_token_id = checked.jwt->service_token_id;
  a.identity.service_token_id = a.service_token_id;
  return a;
}

std::string_view same_site_text(const App& app, bool secure) {
  if (app.same_site_cookie_attribute == SameSite::strict) return "Strict";
  if (app.same_site_cookie_attribute == SameSite::lax) return "Lax";
  // Browsers drop SameSite=None cookies that are not Secure: on a plain-HTTP dev
  // listener fall back to Lax so the cookie flow still works.
  return secure ? "None" : "Lax";
}

}  // namespace

struct AccessGate::Target : RequestView {};

AccessGate::AccessGate(const SnapshotHolder& snapshots, const Clock& clock, GateOptions options)
    : snapshots_(snapshots), clock_(clock), options_(std::move(options)) {
  if (options_.trusted_proxies) {
    edge_proxies_ = *options_.trusted_proxies;
    forward_auth_proxies_ = *options_.trusted_proxies;
  } else {
    forward_auth_proxies_ = {*parse_cidr("127.0.0.0/8"), *parse_cidr("::1/128")};
  }
}

http::Response AccessGate::transport_error(int status, std::string_view reason_slug, std::string_view message,
                                           const RequestHead* head) {
  return denial(head, status, reason_slug, message, new_request_id());
}

Verdict AccessGate::decide(const RequestHead& head) {
  const auto snap = snapshots_.load();
  const std::string request_id = new_request_id();
  Verdict v;
  if (head.count("Host") != 1) {
    v.respond = denial(&head, 400, "bad_host", "the request needs exactly one Host header", request_id);
    return v;
  }
  const std::string_view host = head.header("Host");
  // One path for the decision and the origin (docs/edge.md "Paths").
  CanonicalTarget canonical = canonicalize_target(head.target);
  if (!canonical.ok()) {
    v.respond = denial(&head, 400, "ambiguous_path", path_problem_message(canonical.problem), request_id);
    return v;
  }
  if (canonical.path.substr(0, kCdnCgi.size()) == kCdnCgi) return cdn_cgi(*snap, head, host, canonical.path, request_id);
  const AppView* app = snap->match(host, canonical.path);
  if (app == nullptr) {
    v.respond = denial(&head, 404, "no_application", "no Access application matches this host and path", request_id);
    return v;
  }
  Target t;
  t.method = std::string(head.method);
  t.host = std::string(host);
  t.target = canonical.query.empty() ? canonical.path : canonical.target();
  t.path = std::move(canonical.path);
  ClientAddress client = client_address(head, edge_proxies_);
  t.client_ip = client.ip;
  t.client_ip_text = std::move(client.text);
  t.forwarded_for = std::move(client.believed_chain);
  t.tls = head.tls;
  t.json = wants_json(head);
  return decide_app(*snap, *app, head, t, request_id);
}

Verdict AccessGate::decide_app(const Snapshot& snap, const AppView& app, const RequestHead& head, const Target& t,
                               std::string_view request_id) {
  const Time now = clock_.now();
  const bool strict = app.account->org.strict_service_token_auth;
  Verdict v;
  auto refuse = [&](int status, std::string_view reason) {
    const auto shown = public_reason(reason);
    v.respond = denial(t.json ? nullptr : &head, status, shown, message_for(shown), request_id,
                       app.app.custom_deny_message);
    return v;
  };

  const bool preflight_bypass = app.app.options_preflight_bypass && is_cors_preflight(t, head);
  // With CORS settings Access answers the preflight itself, without credentials.
  if (app.cors && !preflight_bypass && is_cors_preflight(t, head)) {
    auto allow = preflight_headers(*app.cors, head.header("Origin"), head.header("Access-Control-Request-Method"),
                                   head.header("Access-Control-Request-Headers"));
    if (allow.empty()) return refuse(403, "cors_not_allowed");
    http::Response r;
    r.status = 204;
    r.headers = std::move(allow);
    r.set("Cf-Ray", std::string(request_id));
    v.respond = std::move(r);
    return v;
  }
  // A bypassed preflight is not authenticated at all: credentials, even malformed
  // ones, are not looked at (the secret is still stripped below).
  const Credentials creds =
      preflight_bypass ? Credentials{} : extract_credentials(head, app.app.read_service_tokens_from_header, strict);
  if (!creds.error.empty()) return refuse(400, creds.error);
  const Authentication auth = authenticate(snap, app, creds, now);
  const PolicyOutcome outcome = preflight_bypass ? PolicyOutcome{Effect::bypass, "options_preflight_bypass", nullptr}
                                                 : evaluate(app.ordered, auth.identity, t.client_ip);
  // One access-log record per decision about a known client id or a JWT (§1.6).
  auto report = [&](bool allowed, std::string_view reason) {
    AccessLogSink* sink = options_.access_log;
    if (sink == nullptr || !auth.presented) return;
    if (auth.failure == "service_token_unknown") {
      sink->unknown_client_id();
      return;
    }
    // One record per thread, refilled for every decision: assign() reuses the
    // strings' capacity, and the sink copies it only when it is not merged into the
    // previous one (audit/coalesce.hpp) — no allocation per request under load.
    thread_local AccessRecord r;
    r.at = now;
    r.account_id.assign(app.app.account_id);
    r.app_id.assign(app.app.id);
    r.app_domain.assign(t.host);
    r.service_token_id.clear();
    r.service_token_name.clear();
    r.client_id.clear();
    if (auth.subject) {
      if (auth.service_token_id.empty()) r.service_token_id = auth.subject.id();
      else r.service_token_id.assign(auth.service_token_id);
      r.service_token_name.assign(auth.subject.name());
      if (creds.kind == Credentials::Kind::service_token) r.client_id.assign(creds.client_id);
      else r.client_id = auth.subject.client_id();
    } else if (creds.kind == Credentials::Kind::service_token) {
      r.client_id.assign(creds.client_id);
    }
    r.allowed = allowed;
    r.reason.assign(reason);
    r.ip_address.assign(t.client_ip_text);
    r.ray_id.assign(request_id);
    r.client_secret_version = auth.secret_version;
    r.via_jwt = creds.kind == Credentials::Kind::jwt;
    r.count = 1;
    if (allowed && auth.token) sink->seen(auth.service_token_id, auth.secret_version, now);
    sink->record(r);
  };

  switch (outcome.effect) {
    case Effect::bypass:
    case Effect::allow: break;
    case Effect::login_required:
      report(false, auth.failure.empty() ? outcome.reason : auth.failure);
      if (app.app.service_auth_401_redirect) return refuse(401, auth.failure.empty() ? "no_credentials" : auth.failure);
      v.respond = login_redirect(t.tls, t.host, t.target, t.json, request_id);
      return v;
    case Effect::deny: {
      const bool authenticated = auth.presented && auth.failure.empty();
      int status = 403;
      if (strict) status = authenticated ? 403 : 401;
      else if (app.app.service_auth_401_redirect && !authenticated) status = 401;
      std::string_view reason = auth.failure;
      if (reason.empty()) reason = auth.presented ? outcome.reason : std::string_view("no_credentials");
      if (authenticated) reason = outcome.reason;
      report(false, reason);
      return refuse(status, reason);
    }
  }

  report(true, outcome.effect == Effect::bypass ? std::string_view("bypass") : std::string_view("allowed"));
  if (!app.upstream && !t.forward_auth) return refuse(502, "origin_not_configured");
  Forward& f = v.forward;
  f.upstream = app.upstream;
  f.target = t.target;
  if (t.client_ip_text != head.remote_ip) f.client_ip = t.client_ip_text;
  f.forwarded_for = t.forwarded_for;
  // Sized once: growing these vectors header by header cost four allocations a request.
  f.strip_request_headers.reserve(2);
  f.add_request_headers.reserve(3);  // Cookie, Cf-Access-Jwt-Assertion, CF-Access-Client-Id
  f.add_response_headers.reserve(4);
  // The transport drops every Cf-* header a client sent (the secret, a forged
  // Cf-Access-Jwt-Assertion, ...: proxy/identity_headers.hpp); the app's single
  // credential header has a name of its choosing.
  if (!app.app.read_service_tokens_from_header.empty()) f.strip_request_headers.push_back(app.app.read_service_tokens_from_header);
  f.add_response_headers.push_back({"Cf-Ray", std::string(request_id)});
  if (app.cors && head.count("Origin") == 1)
    for (auto& h : response_headers(*app.cors, head.header("Origin"))) f.add_response_headers.push_back(std::move(h));

  if (outcome.effect == Effect::allow && auth.token) {
    std::string assertion = auth.jwt;
    if (auth.via_headers) {
      const auto session = std::chrono::duration_cast<std::chrono::seconds>(
          outcome.policy && outcome.policy->session_duration && outcome.policy->session_duration->length
              ? *outcome.policy->session_duration->length
              : app.app.session_duration.length.value_or(std::chrono::hours(24)));
      auto issued = issue_app_jwt(app, auth.service_token_id, auth.client_id, session, now);
      if (!issued) return refuse(503, "signing_key_unavailable");
      assertion = std::move(issued->token);
      if (!strict) {
        CookieAttributes attrs;
        attrs.path = app.cookie_path;
        attrs.secure = t.tls;
        attrs.http_only = app.app.http_only_cookie_attribute;
        attrs.same_site = same_site_text(app.app, t.tls);
        f.add_response_headers.push_back({"Set-Cookie", authorization_cookie(assertion, issued->expires_at, attrs)});
        // The origin sees the cookie too, as behind Cloudflare.
        std::string cookie(head.header("Cookie"));
        f.strip_request_headers.push_back("Cookie");
        f.add_request_headers.push_back(
            {"Cookie", cookie.empty() ? "CF_Authorization=" + assertion : cookie + "; CF_Authorization=" + assertion});
      }
    }
    f.add_request_headers.push_back({"Cf-Access-Jwt-Assertion", std::move(assertion)});
    // The client's own CF-Access-Client-Id was dropped with every Cf-* header; this
    // one is the authenticated token's, so an origin may trust it.
    f.add_request_headers.push_back({"CF-Access-Client-Id", auth.via_headers ? auth.client_id : auth.token.client_id()});
    if (const auto expires = auth.token.expires_at(); expires && *expires - now <= options_.expiry_warning)
      f.add_response_headers.push_back({"Gatehouse-Service-Token-Expires", format_rfc3339(*expires)});
  }
  if (t.forward_auth) {
    http::Response ok;
    ok.status = 200;
    for (auto& h : f.add_request_headers)
      if (h.name != "Cookie") ok.headers.push_back(h);
    for (auto& h : f.add_response_headers) ok.headers.push_back(h);
    v.respond = std::move(ok);
  }
  return v;
}

Verdict AccessGate::cdn_cgi(const Snapshot& snap, const RequestHead& head, std::string_view host, std::string_view path,
                            std::string_view request_id) {
  Verdict v;
  const std::string_view what = path.substr(kCdnCgi.size());
  auto json_reply = [&](int status, std::string body) {
    http::Response r;
    r.status = status;
    r.set("Content-Type", "application/json");
    r.set("Cf-Ray", std::string(request_id));
    r.set("Cache-Control", "no-store");
    r.body = std::move(body);
    return r;
  };
  // The account: the app on this host, else the team domain, else the only account.
  const AppView* app = snap.match(host, "/");
  const AccountView* account = app ? app->account : nullptr;
  if (!account) {
    if (auto it = snap.accounts_by_auth_domain.find(AppMatcher::normalize_host(host)); it != snap.accounts_by_auth_domain.end())
      account = it->second;
    else if (snap.accounts.size() == 1)
      account = &snap.accounts.begin()->second;
  }

  if (what == "authorize") return forward_auth(snap, head, request_id);
  if (what == "certs") {
    if (!account) {
      v.respond = denial(&head, 404, "no_application", "no Access account serves this host", request_id);
      return v;
    }
    auto r = json_reply(200, account->jwks_json);
    r.headers[2].value = "public, max-age=300";  // Cache-Control: keys change rarely
    v.respond = std::move(r);
    return v;
  }
  if (what == "logout") {
    http::Response r = json_reply(200, "{\"success\":true,\"message\":\"logged out\"}");
    CookieAttributes attrs;
    attrs.secure = head.tls;
    attrs.same_site = head.tls ? "None" : "Lax";
    r.set("Set-Cookie", clear_authorization_cookie(attrs));
    v.respond = std::move(r);
    return v;
  }
  if (what == "get-identity") {
    if (!app) {
      v.respond = denial(&head, 404, "no_application", "no Access application matches this host", request_id);
      return v;
    }
    const Credentials creds = extract_credentials(head, "", app->account->org.strict_service_token_auth);
    if (creds.kind != Credentials::Kind::jwt) {
      v.respond = denial(&head, 401, creds.error.empty() ? "no_credentials" : creds.error,
                         "send the Access JWT in the CF_Authorization cookie or the cf-access-token header", request_id);
      return v;
    }
    const Authentication a = authenticate(snap, *app, creds, clock_.now());
    if (!a.failure.empty() || !a.token) {
      v.respond = denial(&head, 401, public_reason(a.failure), message_for(public_reason(a.failure)), request_id);
      return v;
    }
    const boost::json::object identity{{"service_token_id", a.service_token_id},
                                       {"service_token_status", true},
                                       {"common_name", a.token.client_id()},
                                       {"name", a.token.name()},
                                       {"aud", boost::json::array{boost::json::value(app->app.aud)}},
                                       {"account_id", app->app.account_id}};
    v.respond = json_reply(200, boost::json::serialize(identity));
    return v;
  }
  if (what.substr(0, 6) == "login/") {
    http::Response r;
    r.status = 200;
    r.set("Content-Type", "text/html; charset=utf-8");
    r.set("Cf-Ray", std::string(request_id));
    r.body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in</title></head><body>"
             "<h1>Sign in to " + html_escape(what.substr(6)) + "</h1><p>This application is protected by Gatehouse. "
             "No identity provider is configured yet, so people cannot sign in here; automated clients use a "
             "service token (CF-Access-Client-Id and CF-Access-Client-Secret headers).</p><p><small>Ray ID: " +
             html_escape(request_id) + "</small></p></body></html>\n";
    v.respond = std::move(r);
    return v;
  }
  v.respond = denial(&head, 404, "not_found", "no such Access endpoint", request_id);
  return v;
}

Verdict AccessGate::forward_auth(const Snapshot& snap, const RequestHead& head, std::string_view request_id) {
  Verdict v;
  auto read = read_forward_auth_request(head);
  if (auto* e = std::get_if<ForwardAuthError>(&read)) {
    v.respond = denial(&head, 400, e->slug, e->message, request_id);
    return v;
  }
  auto& original = std::get<ForwardAuthRequest>(read);
  // The same path rule as the edge's; and since forward-auth cannot change what the
  // proxy in front sends to the origin, the URI must already be in canonical form.
  CanonicalTarget canonical = canonicalize_target(original.uri);
  if (!canonical.ok() || canonical.rewritten) {
    const std::string message =
        canonical.ok() ? "the forwarded URI is not in canonical form (it would be " + canonical.path +
                             "); forward-auth cannot change the path the origin receives"
                       : std::string(path_problem_message(canonical.problem));
    v.respond = denial(&head, 400, "ambiguous_path", message, request_id);
    return v;
  }
  Target t;
  t.forward_auth = true;
  t.method = std::move(original.method);
  t.tls = original.tls;
  t.json = wants_json(head);
  t.host = std::move(original.host);
  t.target = std::move(original.uri);
  t.path = std::move(canonical.path);
  ClientAddress client = client_address(head, forward_auth_proxies_);
  t.client_ip = client.ip;
  t.client_ip_text = std::move(client.text);
  const AppView* app = snap.match(t.host, t.path);
  if (app == nullptr) {
    v.respond = denial(&head, 404, "no_application", "no Access application matches the forwarded host and path", request_id);
    return v;
  }
  return decide_app(snap, *app, head, t, request_id);
}

}  // namespace gatehouse::edge
