#pragma once
// The seam between the edge's transport (sessions, TLS, proxying: src/edge/proxy/)
// and its logic (matching, authentication, policies, JWTs: the Gate). The transport
// reads a request head, asks the Gate for a Verdict, then either writes the given
// response or streams the request to the origin with the Verdict's header changes.
//
// Thread-safety: decide() is called concurrently from every edge thread; an
// implementation reads an immutable snapshot and takes no lock.
#include "core/app.hpp"
#include "http/message.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::edge {

struct HeaderRef {
  std::string_view name;
  std::string_view value;
};

// Views into the transport's parser storage: valid only during decide().
struct RequestHead {
  std::string_view method;
  std::string_view target;  // origin-form, as received
  unsigned version = 11;    // 10 or 11
  std::span<const HeaderRef> headers;
  std::string_view remote_ip;  // the TCP peer
  bool tls = false;            // received over the TLS listener

  std::string_view header(std::string_view name) const;  // first value, "" if absent
  std::size_t count(std::string_view name) const;
};

// Where a request goes. Shared and immutable; the transport may key its keep-alive
// pools on `key()`.
struct Upstream {
  std::string scheme;     // "http" or "https"
  std::string host;       // name or IP literal (no brackets)
  std::string port;       // always set ("80"/"443" by default)
  std::string base_path;  // prefix prepended to the request target, "" or "/x" (no trailing slash)
  OriginTimeouts timeouts;

  std::string key() const { return scheme + "://" + host + ":" + port; }
};

struct Forward {
  std::shared_ptr<const Upstream> upstream;
  // The request-target the origin receives: the canonical form the Gate decided on
  // (policy/canonical_path.hpp). Empty: the target as received (only for Gates that
  // do not match on paths, such as test doubles).
  std::string target;
  // CF-Connecting-IP for the origin; empty: the TCP peer.
  std::string client_ip;
  // X-Forwarded-For entries believed from a trusted proxy, sent ahead of the peer;
  // empty: the origin gets the peer alone (a client's own X-Forwarded-For is dropped).
  std::string forwarded_for;
  // Removed from the request before it reaches the origin (case-insensitive names),
  // in addition to hop-by-hop headers and client-supplied identity headers
  // (proxy/identity_headers.hpp), which the transport always handles.
  std::vector<std::string> strip_request_headers;
  std::vector<http::Header> add_request_headers;   // e.g. Cf-Access-Jwt-Assertion
  std::vector<http::Header> add_response_headers;  // e.g. Set-Cookie, Cf-Ray
};

struct Verdict {
  std::optional<http::Response> respond;  // set: answer with this, nothing is forwarded
  Forward forward;                        // otherwise: proxy with these changes
};

class Gate {
 public:
  virtual ~Gate() = default;
  virtual Verdict decide(const RequestHead& head) = 0;
  // The answer when the transport cannot read a request (400/413/431) or the origin
  // fails (502/504): a small page or JSON naming the problem, with a request id.
  virtual http::Response transport_error(int status, std::string_view reason_slug, std::string_view message,
                                         const RequestHead* head) = 0;
};

// Parses an origin URL such as "http://127.0.0.1:3000" or "https://app.internal/base".
// Error message names the problem.
std::optional<Upstream> parse_upstream(std::string_view url, OriginTimeouts timeouts, std::string* error);

}  // namespace gatehouse::edge
