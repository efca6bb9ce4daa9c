#pragma once
// How a response body is delimited towards the client (RFC 9112 §6.3), and whether
// the client connection can carry another request afterwards. Pure functions.
#include <cstdint>

namespace gatehouse::edge {

enum class BodyFraming {
  none,     // no body: HEAD, 1xx, 204, 304 (or an empty body with Content-Length: 0)
  length,   // Content-Length
  chunked,  // Transfer-Encoding: chunked (HTTP/1.1 clients only)
  close,    // delimited by closing the connection (HTTP/1.0 client, length unknown)
};

struct ResponsePlan {
  BodyFraming framing = BodyFraming::none;
  bool keep_alive = false;
};

inline bool status_has_no_body(unsigned status) { return status / 100 == 1 || status == 204 || status == 304; }

// `length_known`: the origin gave a Content-Length. `client_keep_alive`: the request
// asked for a persistent connection (Beast's keep_alive() of the request).
inline ResponsePlan plan_response(unsigned status, bool head_request, bool length_known, unsigned client_version,
                                  bool client_keep_alive) {
  if (head_request || status_has_no_body(status)) return {BodyFraming::none, client_keep_alive};
  if (length_known) return {BodyFraming::length, client_keep_alive};
  if (client_version >= 11) return {BodyFraming::chunked, client_keep_alive};
  return {BodyFraming::close, false};
}

}  // namespace gatehouse::edge
