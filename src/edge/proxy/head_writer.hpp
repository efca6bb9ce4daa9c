#pragma once
// Serializes the message heads the transport sends: the request to the origin and
// the response to the client. Written straight into a reused std::string (no Beast
// fields object, no per-header allocation), then sent with the first body bytes in
// one gather write.
#include "edge/gate.hpp"
#include "edge/proxy/framing.hpp"
#include "edge/proxy/hop_by_hop.hpp"

#include <boost/beast/http/message.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse::edge {

struct RequestHeadParams {
  std::string_view target;   // origin-form, as forwarded (base_path is prepended here)
  std::string_view peer_ip;  // appended to X-Forwarded-For
  bool tls = false;          // X-Forwarded-Proto
  bool websocket = false;    // forward Upgrade: websocket and Connection: upgrade
  BodyFraming framing = BodyFraming::none;  // none, length or chunked
  std::uint64_t content_length = 0;
};

// The request towards the origin, always HTTP/1.1:
// - Host: the client's Host, unchanged (as Cloudflare Tunnel, Traefik and Caddy do by
//   default): internal apps build links, cookies and redirects for the public name.
//   The origin's own name is used for TLS (SNI and certificate check) only. A request
//   without Host (HTTP/1.0) gets the origin's host:port.
// - hop-by-hop fields and the fields named by Connection are dropped; framing is
//   rewritten (Content-Length, or chunked for a chunked request).
// - client-supplied identity headers (identity_headers.hpp: Cf-*, X-Forwarded-*,
//   Forwarded, X-Real-IP, True-Client-IP, X-Original-URL, ...) are dropped;
// - X-Forwarded-For: forward.forwarded_for (what a trusted proxy told us) with the
//   peer appended, else the peer alone; CF-Connecting-IP: forward.client_ip, else the
//   peer; X-Forwarded-Proto and X-Forwarded-Host from this connection.
// - forward.strip_request_headers are dropped, forward.add_request_headers appended.
void write_request_head(std::string& out, const boost::beast::http::request_header<>& in,
                        const ConnectionTokens& tokens, const RequestHeadParams& p, const Forward& forward);

struct ResponseHeadParams {
  ResponsePlan plan;
  std::uint64_t content_length = 0;  // for BodyFraming::length
  bool head_request = false;         // keep the origin's Content-Length (RFC 9110 §8.6)
  bool switching = false;            // a 101 for a WebSocket upgrade: keep Upgrade
  unsigned client_version = 11;
};

// The origin's response towards the client: hop-by-hop fields dropped, framing
// rewritten, `add` appended (repeated names such as Set-Cookie stay separate fields).
void write_response_head(std::string& out, const boost::beast::http::response_header<>& in,
                         const ConnectionTokens& tokens, const ResponseHeadParams& p,
                         const std::vector<http::Header>& add);

// A response the transport or the Gate generated. Framing fields in `r` are ignored
// and replaced (Content-Length of the body).
void write_local_response_head(std::string& out, const http::Response& r, bool keep_alive, unsigned client_version);

// "1a2b\r\n": the chunk-size line for `n` bytes; returns its length (≤ 18).
std::size_t format_chunk_header(char (&buf)[20], std::size_t n);

}  // namespace gatehouse::edge
