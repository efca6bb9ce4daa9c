#include "admin/dashboard.hpp"

#include "admin/api_token_auth.hpp"
#include "admin/envelope.hpp"
#include "admin/routes.hpp"
#include "admin/session_auth.hpp"
#include "admin/web_assets.hpp"
#include "service/json_views.hpp"

#include <chrono>

namespace gatehouse::admin {

namespace json = boost::json;

namespace {

http::Response plain(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.set("Content-Type", "text/plain; charset=utf-8");
  r.set("Cache-Control", "no-store");
  r.body = std::move(body);
  return r;
}

// If-None-Match holds a list of quoted tags, or "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty()) return false;
  if (if_none_match == "*") return true;
  std::size_t pos = 0;
  while ((pos = if_none_match.find(etag, pos)) != std::string_view::npos) {
    const bool starts = pos == 0 || if_none_match[pos - 1] == ' ' || if_none_match[pos - 1] == ',' ||
                        if_none_match[pos - 1] == '/';  // W/"…"
    const std::size_t end = pos + etag.size();
    const bool ends = end == if_none_match.size() || if_none_match[end] == ',' || if_none_match[end] == ' ';
    if (starts && ends) return true;
    pos = end;
  }
  return false;
}

http::Response serve_asset(const http::Request& req, std::string_view path) {
  if (req.method != "GET" && req.method != "HEAD") {
    auto r = plain(405, "the dashboard's files are read with GET\n");
    r.set("Allow", "GET, HEAD");
    return r;
  }
  for (const auto& a : web_assets()) {
    if (a.path != path) continue;
    http::Response r;
    r.set("Content-Type", std::string(a.content_type));
    r.set("ETag", std::string(a.etag));
    // Revalidate every time: file names carry no content hash, and a 304 is cheap.
    r.set("Cache-Control", "no-cache");
    if (etag_matches(req.header("If-None-Match"), a.etag)) {
      r.status = 304;
      return r;
    }
    if (req.method == "GET") r.body = std::string(a.body);
    return r;
  }
  return plain(404, "no such file in the dashboard\n");
}

json::object session_json(const ApiToken& t) {
  return json::object{
      {"account_id", t.account_id},
      {"api_token", json::object{{"id", t.id},
                                 {"name", t.name},
                                 {"scope", to_string(t.scope)},
                                 {"expires_on", json_time(t.expires_at)}}},
      {"idle_timeout_seconds",
       std::chrono::duration_cast<std::chrono::seconds>(SessionStore::kIdleTimeout).count()}};
}

http::Response sign_in(const http::Request& req, Services& s, SessionStore& sessions, const AdminOrigins& own) {
  // A forged sign-in would put the victim's browser in the attacker's session.
  if (auto r = check_same_origin(req, own); !r) return fail(r.error());
  auto body = json_body(req);
  if (!body) return fail(body.error());
  auto presented = string_field(*body, "api_token");
  if (!presented) return fail(presented.error());
  if (!*presented || (*presented)->empty())
    return fail(bad_request("missing_field", "api_token is required (the gat_… token printed on first start or "
                                             "made by `gatehouse admin-token create`)"));
  auto token = check_api_token(**presented, s);
  if (!token) return fail(token.error());
  const std::string id = sessions.open(*token, s.clock.now(), s.random);
  auto r = ok(session_json(*token));
  r.set("Set-Cookie", session_set_cookie(id, req, own));
  return r;
}

http::Response sign_out(const http::Request& req, SessionStore& sessions, const AdminOrigins& own) {
  if (auto r = check_same_origin(req, own); !r) return fail(r.error());
  if (auto id = session_cookie(req)) sessions.close(*id);
  auto r = ok(json::object{});
  r.set("Set-Cookie", session_clear_cookie(req, own));
  return r;
}

http::Response route_session(const http::Request& req, Services& s, SessionStore& sessions,
                             const AdminOrigins& own) {
  if (req.method == "GET") {
    auto caller = session_caller(req, s, sessions, own);
    return caller ? ok(session_json(*caller)) : fail(caller.error());
  }
  if (req.method == "POST") return sign_in(req, s, sessions, own);
  if (req.method == "DELETE") return sign_out(req, sessions, own);
  return method_not_allowed("GET, POST, DELETE");
}

}  // namespace

bool is_dashboard_path(const std::vector<std::string>& seg) {
  if (seg.empty()) return true;
  if (seg.size() == 1 && seg[0] == "index.html") return true;
  if (seg[0] == "assets") return true;
  return seg.size() == 2 && seg[0] == "dashboard" && seg[1] == "session";
}

http::Response handle_dashboard(const http::Request& req, const Target& target, Services& s,
                                SessionStore& sessions, const AdminOrigins& origins) {
  const auto& seg = target.segments;
  http::Response r;
  if (seg.size() == 2 && seg[0] == "dashboard") {
    r = route_session(req, s, sessions, origins);
  } else if (seg.empty()) {
    r = serve_asset(req, "index.html");
  } else {
    std::string path;
    for (const auto& part : seg) path += (path.empty() ? "" : "/") + part;
    r = serve_asset(req, path);
  }
  add_browser_security_headers(r);
  return r;
}

void add_browser_security_headers(http::Response& r) {
  r.set("Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  r.set("X-Frame-Options", "DENY");
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Referrer-Policy", "same-origin");
  r.set("Cross-Origin-Opener-Policy", "same-origin");
  r.set("Cross-Origin-Resource-Policy", "same-origin");
}

}  // namespace gatehouse::admin
