#include "edge/proxy/head_writer.hpp"

#include "edge/proxy/identity_headers.hpp"

#include <boost/beast/http/status.hpp>

#include <charconv>

namespace gatehouse::edge {

namespace bhttp = boost::beast::http;
using bhttp::field;

namespace {

void append_decimal(std::string& out, std::uint64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

void append_status_line(std::string& out, unsigned status, std::string_view reason) {
  // We answer as HTTP/1.1 to 1.0 clients too (RFC 9110 §2.5), without chunked framing.
  out.append("HTTP/1.1 ");
  append_decimal(out, status);
  out.push_back(' ');
  if (reason.empty()) reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  out.append(reason).append("\r\n");
}

void append_connection(std::string& out, bool keep_alive, unsigned client_version) {
  if (!keep_alive)
    out.append("Connection: close\r\n");
  else if (client_version < 11)
    out.append("Connection: keep-alive\r\n");
}

bool in_list(std::string_view name, const std::vector<std::string>& names) {
  for (const auto& s : names)
    if (http::iequals(name, s)) return true;
  return false;
}

}  // namespace

void write_request_head(std::string& out, const bhttp::request_header<>& in, const ConnectionTokens& tokens,
                        const RequestHeadParams& p, const Forward& forward) {
  const Upstream& up = *forward.upstream;
  out.clear();
  out.append(in.method_string()).push_back(' ');
  out.append(up.base_path).append(p.target).append(" HTTP/1.1\r\n");

  std::string_view host;
  if (const auto h = in.find(field::host); h != in.end()) host = h->value();
  if (!host.empty()) {
    append_field(out, "Host", host);
  } else {
    out.append("Host: ");
    if (up.host.find(':') != std::string::npos)
      out.append("[").append(up.host).append("]");
    else
      out.append(up.host);
    if (up.port != (up.scheme == "https" ? "443" : "80")) out.append(":").append(up.port);
    out.append("\r\n");
  }

  const auto& strip = forward.strip_request_headers;
  for (const auto& f : in) {
    const auto name = f.name();
    if (name == field::host || name == field::content_length || drop_hop_by_hop(f, tokens) ||
        is_client_identity_header(f))
      continue;
    if (!strip.empty() && in_list(f.name_string(), strip)) continue;
    append_field(out, f.name_string(), f.value());
  }

  // The edge's own view of the client (the Gate's, from trusted proxies, or the peer).
  out.append("X-Forwarded-For: ");
  if (!forward.forwarded_for.empty()) out.append(forward.forwarded_for).append(", ");
  out.append(p.peer_ip).append("\r\n");
  append_field(out, "CF-Connecting-IP", forward.client_ip.empty() ? p.peer_ip : std::string_view(forward.client_ip));
  append_field(out, "X-Forwarded-Proto", p.tls ? "https" : "http");
  if (!host.empty()) append_field(out, "X-Forwarded-Host", host);

  for (const auto& h : forward.add_request_headers) append_field(out, h.name, h.value);

  if (p.framing == BodyFraming::length) {
    out.append("Content-Length: ");
    append_decimal(out, p.content_length);
    out.append("\r\n");
  } else if (p.framing == BodyFraming::chunked) {
    out.append("Transfer-Encoding: chunked\r\n");
  }
  if (p.websocket) out.append("Connection: upgrade\r\nUpgrade: websocket\r\n");
  out.append("\r\n");
}

void write_response_head(std::string& out, const bhttp::response_header<>& in, const ConnectionTokens& tokens,
                         const ResponseHeadParams& p, const std::vector<http::Header>& add) {
  out.clear();
  const unsigned status = in.result_int();
  append_status_line(out, status, in.reason());
  const bool keep_length = p.head_request || status == 304;  // describes the selected representation
  for (const auto& f : in) {
    const auto name = f.name();
    if (name == field::content_length && !keep_length) continue;
    if (p.switching && name == field::upgrade) {
      append_field(out, f.name_string(), f.value());
      continue;
    }
    if (drop_hop_by_hop(f, tokens)) continue;
    append_field(out, f.name_string(), f.value());
  }
  for (const auto& h : add) append_field(out, h.name, h.value);
  switch (p.plan.framing) {
    case BodyFraming::length:
      out.append("Content-Length: ");
      append_decimal(out, p.content_length);
      out.append("\r\n");
      break;
    case BodyFraming::chunked:
      out.append("Transfer-Encoding: chunked\r\n");
      break;
    case BodyFraming::none:
    case BodyFraming::close:
      break;
  }
  if (p.switching)
    out.append("Connection: upgrade\r\n");
  else if (status / 100 != 1)
    append_connection(out, p.plan.keep_alive, p.client_version);
  out.append("\r\n");
}

void write_local_response_head(std::string& out, const http::Response& r, bool keep_alive, unsigned client_version) {
  out.clear();
  const auto status = static_cast<unsigned>(r.status);
  append_status_line(out, status, {});
  for (const auto& h : r.headers) {
    if (http::iequals(h.name, "Content-Length") || http::iequals(h.name, "Transfer-Encoding") ||
        http::iequals(h.name, "Connection") || http::iequals(h.name, "Keep-Alive"))
      continue;
    append_field(out, h.name, h.value);
  }
  if (!status_has_no_body(status)) {
    out.append("Content-Length: ");
    append_decimal(out, r.body.size());
    out.append("\r\n");
  }
  append_connection(out, keep_alive, client_version);
  out.append("\r\n");
}

std::size_t format_chunk_header(char (&buf)[20], std::size_t n) {
  const auto r = std::to_chars(buf, buf + 16, n, 16);
  r.ptr[0] = '\r';
  r.ptr[1] = '\n';
  return static_cast<std::size_t>(r.ptr + 2 - buf);
}

}  // namespace gatehouse::edge
