#pragma once
// The original request a forward-auth subrequest (nginx auth_request, Traefik
// forwardAuth, Caddy forward_auth) describes, read from its headers. Fails closed:
// a missing host or URI, a describing header sent twice, or two headers that say
// different things is a 400, never a decision about "/" or about one of the two.
//
//   host:   X-Forwarded-Host, or the authority of an absolute X-Original-URL
//   URI:    X-Forwarded-Uri, X-Original-URI (nginx's $request_uri), or X-Original-URL
//           (absolute "https://host/path?q", or a path as IIS/ARR sends it)
//   scheme: X-Forwarded-Proto, or the scheme of an absolute X-Original-URL
//   method: X-Forwarded-Method (default GET)
// Every source present must agree with the others.
#include "edge/gate.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace gatehouse::edge {

struct ForwardAuthRequest {
  std::string method;
  std::string host;  // as sent (may carry a port)
  std::string uri;   // origin-form, as sent
  bool tls = false;
};

struct ForwardAuthError {
  std::string slug;  // forward_auth_incomplete, forward_auth_conflict, forward_auth_malformed
  std::string message;
};

std::variant<ForwardAuthRequest, ForwardAuthError> read_forward_auth_request(const RequestHead& head);

}  // namespace gatehouse::edge
