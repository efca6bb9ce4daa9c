#pragma once
// The origin(s) the dashboard's state-changing requests must come from
// (admin/session_auth.hpp), decided at start-up, never from the request: a Host header
// is whatever the client sent, so comparing Origin with it proves nothing.
//
//   - [admin] public_url set (a TLS-terminating proxy in front, say): exactly that
//     origin; the session cookie is Secure when it is https, even though the
//     listener itself is plain HTTP.
//   - not set: the admin listener's bound address as http://IP:PORT; for a loopback
//     or wildcard (0.0.0.0, ::) bind, the loopback names a browser on this machine
//     can use instead: http://localhost:PORT, http://127.0.0.1:PORT, http://[::1]:PORT.
//
// Origins are compared normalised: lower-case scheme and host, IPv6 in canonical
// form inside brackets, the scheme's default port dropped (RFC 6454 §4).
#include "core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::admin {

struct AdminOrigins {
  std::vector<std::string> accepted;  // normalised "scheme://host[:port]"
  bool secure_cookie = false;         // the session cookie carries Secure

  bool accepts(std::string_view normalised) const;
  // "http://a", "http://a or http://b", "http://a, http://b or http://c": for messages.
  std::string describe() const;
};

// A public URL as configured: http or https, a host, an optional port, no
// user:password@, path empty or "/", no query or fragment. The normalised origin, or
// a 400 "invalid_public_url" naming the problem.
Result<std::string> parse_public_url(std::string_view url);

// The normalised origin of an Origin header value (no path at all), or of a Referer
// (any path and query). Empty when it is not an http(s) origin (for example "null").
std::string origin_of_header(std::string_view origin);
std::string origin_of_referer(std::string_view referer);

AdminOrigins origins_for_public_url(const std::string& normalised);
// `bound` is the listener's local address ("127.0.0.1:9000", "[::]:9000", as
// http::Server::local_address prints it); `tls` whether the listener speaks TLS.
AdminOrigins origins_for_listener(std::string_view bound, bool tls);

}  // namespace gatehouse::admin
