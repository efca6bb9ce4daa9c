#include "admin/session_auth.hpp"

#include "admin/api_token_auth.hpp"

namespace gatehouse::admin {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Error csrf_refused(std::string why) {
  return forbidden("cross_site_request", "refused a state-changing request made with the dashboard session: " + why);
}

std::string cookie_attributes(const http::Request& req, const AdminOrigins& own) {
  // Secure only when the browser talks TLS: the admin listener is plain HTTP on
  // loopback by default, and a Secure cookie would never come back over it; behind a
  // TLS-terminating proxy (an https public_url) the browser does speak TLS.
  return std::string("; HttpOnly; SameSite=Strict; Path=/") + (req.secure || own.secure_cookie ? "; Secure" : "");
}

}  // namespace

std::optional<std::string> session_cookie(const http::Request& req) {
  for (const auto& h : req.headers) {
    if (!http::iequals(h.name, "Cookie")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      const std::string_view pair = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != kSessionCookie) continue;
      return std::string(trim(pair.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

bool is_state_changing(std::string_view method) { return method != "GET" && method != "HEAD"; }

Result<void> check_same_origin(const http::Request& req, const AdminOrigins& own) {
  if (req.header_count(kCsrfHeader) != 1 || req.header(kCsrfHeader) != "1")
    return csrf_refused("the request lacks the header " + std::string(kCsrfHeader) + ": 1");
  // A browser never sends a cross-site request with this header without a preflight,
  // and we answer no preflight; Sec-Fetch-Site, where present, says so directly.
  if (req.header_count("Sec-Fetch-Site") == 1) {
    const std::string site = lower(req.header("Sec-Fetch-Site"));
    if (site != "same-origin")
      return csrf_refused("the browser reports it as a " + site.substr(0, 32) + " request");
  }
  // Compared with the origins fixed at start-up, not with the Host header: Host is
  // whatever the client sent, and a proxy in front may rewrite it.
  if (req.header_count("Origin") > 0) {
    if (req.header_count("Origin") != 1 || !own.accepts(origin_of_header(trim(req.header("Origin")))))
      return csrf_refused("its Origin \"" + std::string(req.header("Origin").substr(0, 128)) + "\" is not " +
                          own.describe() + " (set [admin] public_url to the dashboard's public address)");
    return {};
  }
  if (req.header_count("Referer") == 1) {
    if (own.accepts(origin_of_referer(trim(req.header("Referer"))))) return {};
    return csrf_refused("its Referer is not a page of " + own.describe());
  }
  return csrf_refused("it carries neither Origin nor Referer");
}

Result<ApiToken> session_caller(const http::Request& req, Services& s, SessionStore& sessions,
                                const AdminOrigins& own) {
  const auto id = session_cookie(req);
  if (!id) return unauthorized("missing_api_token", "no API token and no dashboard session");
  if (is_state_changing(req.method))
    if (auto r = check_same_origin(req, own); !r) return r.error();
  const auto session = sessions.touch(*id, s.clock.now());
  if (!session)
    return unauthorized("session_expired", "the dashboard session has ended (signed out, idle for 12 hours, "
                                           "or the server restarted); sign in again");
  auto token = recheck_api_token(session->account_id, session->api_token_id, s);
  if (!token) {
    sessions.close(*id);
    return token.error();
  }
  return token;
}

std::string session_set_cookie(std::string_view id, const http::Request& req, const AdminOrigins& own) {
  return std::string(kSessionCookie) + "=" + std::string(id) + cookie_attributes(req, own);
}

std::string session_clear_cookie(const http::Request& req, const AdminOrigins& own) {
  return std::string(kSessionCookie) + "=; Max-Age=0" + cookie_attributes(req, own);
}

}  // namespace gatehouse::admin
