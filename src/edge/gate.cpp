#include "edge/gate.hpp"

namespace gatehouse::edge {

std::string_view RequestHead::header(std::string_view name) const {
  for (const auto& h : headers)
    if (http::iequals(h.name, name)) return h.value;
  return {};
}

std::size_t RequestHead::count(std::string_view name) const {
  std::size_t n = 0;
  for (const auto& h : headers)
    if (http::iequals(h.name, name)) ++n;
  return n;
}

std::optional<Upstream> parse_upstream(std::string_view url, OriginTimeouts timeouts, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<Upstream> {
    if (error) *error = "origin \"" + std::string(url.substr(0, 200)) + "\" " + why;
    return std::nullopt;
  };
  Upstream u;
  u.timeouts = timeouts;
  std::string_view rest;
  if (url.rfind("http://", 0) == 0) {
    u.scheme = "http";
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    u.scheme = "https";
    rest = url.substr(8);
  } else {
    return fail("must start with http:// or https://");
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (authority.empty()) return fail("has no host");
  if (authority.find('@') != std::string_view::npos) return fail("must not contain credentials");
  if (path.find_first_of("?#") != std::string_view::npos) return fail("must not have a query or fragment");
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return fail("must not contain spaces or control characters");
  std::string_view host = authority, port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("has an unterminated IPv6 literal");
    host = authority.substr(1, close - 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("has junk after the IPv6 literal");
      port = after.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return fail("has no host");
  if (!port.empty()) {
    unsigned long p = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return fail("has an invalid port");
      p = p * 10 + static_cast<unsigned long>(c - '0');
      if (p > 65535) return fail("has a port above 65535");
    }
    if (p == 0) return fail("has port 0");
  }
  u.host = std::string(host);
  u.port = port.empty() ? (u.scheme == "https" ? "443" : "80") : std::string(port);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  u.base_path = std::string(path);
  return u;
}

}  // namespace gatehouse::edge
