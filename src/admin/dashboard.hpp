#pragma once
// The web dashboard on the admin listener: its embedded files at /, /index.html and
// /assets/…, and its session endpoint /dashboard/session (sign in with an API token,
// who am I, sign out). The pages then call /client/v4 with the session cookie.
#include "admin/admin_origin.hpp"
#include "admin/request_input.hpp"
#include "admin/sessions.hpp"
#include "http/message.hpp"
#include "service/services.hpp"

namespace gatehouse::admin {

// True for the paths the dashboard answers (given the decoded path segments).
bool is_dashboard_path(const std::vector<std::string>& segments);

http::Response handle_dashboard(const http::Request& req, const Target& target, Services& s,
                                SessionStore& sessions, const AdminOrigins& origins);

// Strict CSP (no inline script or style, nothing from other origins), no framing,
// no sniffing: set on every reply the dashboard serves.
void add_browser_security_headers(http::Response& r);

}  // namespace gatehouse::admin
