#pragma once
// The dashboard's session cookie as a credential for /client/v4, and the defence
// against cross-site use of it. A cookie is sent by the browser on its own, so every
// state-changing request that relies on one must prove it came from our own page:
//   - the custom header X-Gatehouse-CSRF: 1, which a cross-site form cannot send and a
//     cross-site fetch can send only after a CORS preflight that we never grant; and
//   - an Origin (else Referer) equal to one of the dashboard's origins, fixed at
//     start-up (admin/admin_origin.hpp: [admin] public_url, else the listener's
//     address), never taken from the request's Host header, which the client chooses.
// SameSite=Strict on the cookie is a third layer, not relied on alone.
#include "admin/admin_origin.hpp"
#include "admin/sessions.hpp"
#include "core/error.hpp"
#include "http/message.hpp"
#include "service/services.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::admin {

inline constexpr std::string_view kSessionCookie = "gh_session";
inline constexpr std::string_view kCsrfHeader = "X-Gatehouse-CSRF";

// The value of the gh_session cookie, if the request carries one.
std::optional<std::string> session_cookie(const http::Request& req);

bool is_state_changing(std::string_view method);

// Refuses (403 cross_site_request) a request that lacks the custom header or whose
// Origin (else Referer) is not one of `own`'s.
Result<void> check_same_origin(const http::Request& req, const AdminOrigins& own);

// The API token behind the request's session, re-checked against the store; for a
// state-changing method the request must also pass check_same_origin.
Result<ApiToken> session_caller(const http::Request& req, Services& s, SessionStore& sessions,
                                const AdminOrigins& own);

// Set-Cookie values that open and end a session: Secure when the request came over
// TLS or the public URL is https (a TLS-terminating proxy in front).
std::string session_set_cookie(std::string_view id, const http::Request& req, const AdminOrigins& own);
std::string session_clear_cookie(const http::Request& req, const AdminOrigins& own);

}  // namespace gatehouse::admin
