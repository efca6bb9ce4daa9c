#pragma once
// What the edge says when it does not forward (compat.md §2.5): JSON for API clients,
// a short HTML page for browsers, always with a request id (Cf-Ray), never a hint of
// which part of a secret was wrong.
#include "core/time.hpp"
#include "edge/gate.hpp"

#include <string>
#include <string_view>

namespace gatehouse::edge {

// 16 hex + "-GH", from a per-thread generator (unique, not secret).
std::string new_request_id();

bool wants_json(const RequestHead& head);

// status 400/401/403/404/502/504…; `reason` is the public slug, `message` human text.
http::Response denial(const RequestHead* head, int status, std::string_view reason, std::string_view message,
                      std::string_view request_id, std::string_view custom_message = {});

// 302 to /cdn-cgi/access/login/<host>?redirect_url=<original URL>.
http::Response login_redirect(bool tls, std::string_view host, std::string_view target, bool json,
                              std::string_view request_id);

// RFC 9110 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(Time t);

struct CookieAttributes {
  std::string path = "/";
  bool secure = true;
  bool http_only = true;
  std::string_view same_site = "None";  // "None" | "Lax" | "Strict"
};
std::string authorization_cookie(std::string_view jwt, Time expires, const CookieAttributes& a);
std::string clear_authorization_cookie(const CookieAttributes& a);

std::string percent_encode(std::string_view s);
std::string html_escape(std::string_view s);

}  // namespace gatehouse::edge
