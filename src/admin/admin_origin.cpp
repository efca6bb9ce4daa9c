#include "admin/admin_origin.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>

namespace gatehouse::admin {

namespace {

enum class Part { origin, referer, public_url };

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string shown(std::string_view s) { return "\"" + std::string(s.substr(0, 128)) + "\""; }

// The normalised origin of `text`, or why it is not one.
Result<std::string> normalise(std::string_view text, Part part) {
  auto fail = [&](const std::string& why) { return bad_request("invalid_public_url", why + ", got " + shown(text)); };
  auto u = boost::urls::parse_uri(text);
  if (!u) return fail("must be an absolute URL such as https://gatehouse.example.com");
  const auto scheme = u->scheme_id();
  if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https)
    return fail("must be an http:// or https:// URL");
  if (!u->has_authority() || u->encoded_host().empty()) return fail("has no host");
  // Not echoed: what follows "user:" may be a password.
  if (u->has_userinfo()) return bad_request("invalid_public_url", "must not carry user:password@");
  if (part != Part::referer) {
    if (u->has_query()) return fail("must not have a query (?…)");
    if (u->has_fragment()) return fail("must not have a fragment (#…)");
    const auto path = u->encoded_path();
    if (part == Part::origin ? !path.empty() : !(path.empty() || path == "/"))
      return fail("must be an origin (scheme://host[:port]) with no path beyond \"/\"");
  }
  std::string host;
  switch (u->host_type()) {
    case boost::urls::host_type::ipv4: host = u->host_ipv4_address().to_string(); break;
    case boost::urls::host_type::ipv6: host = "[" + u->host_ipv6_address().to_string() + "]"; break;
    case boost::urls::host_type::name:
      if (u->encoded_host().find('%') != boost::core::string_view::npos) return fail("has a percent-encoded host");
      host = lower(u->encoded_host());
      break;
    default: return fail("has a host that is neither a name nor an IP address");
  }
  const bool https = scheme == boost::urls::scheme::https;
  std::string out = std::string(https ? "https://" : "http://") + host;
  if (u->has_port()) {
    const std::string port(u->port());
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), digit))
      return fail("has an invalid port");
    const unsigned long n = std::stoul(port);
    if (n == 0 || n > 65535) return fail("has a port outside 1..65535");
    if (n != (https ? 443u : 80u)) out += ":" + std::to_string(n);
  }
  return out;
}

// An address as a URL host: IPv6 in brackets.
std::string literal(const boost::asio::ip::address& a) {
  return a.is_v6() ? "[" + a.to_string() + "]" : a.to_string();
}

}  // namespace

bool AdminOrigins::accepts(std::string_view normalised) const {
  return !normalised.empty() && std::find(accepted.begin(), accepted.end(), normalised) != accepted.end();
}

std::string AdminOrigins::describe() const {
  std::string out;
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    if (i > 0) out += i + 1 == accepted.size() ? " or " : ", ";
    out += accepted[i];
  }
  return out.empty() ? "(no origin configured)" : out;
}

Result<std::string> parse_public_url(std::string_view url) { return normalise(url, Part::public_url); }

std::string origin_of_header(std::string_view origin) {
  auto r = normalise(origin, Part::origin);
  return r ? *r : std::string();
}

std::string origin_of_referer(std::string_view referer) {
  auto r = normalise(referer, Part::referer);
  return r ? *r : std::string();
}

AdminOrigins origins_for_public_url(const std::string& normalised) {
  return AdminOrigins{{normalised}, normalised.starts_with("https://")};
}

AdminOrigins origins_for_listener(std::string_view bound, bool tls) {
  const std::string scheme = tls ? "https://" : "http://";
  const auto colon = bound.rfind(':');
  std::string_view host = bound.substr(0, colon);
  const std::string port(colon == std::string_view::npos ? std::string_view() : bound.substr(colon + 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  auto origin = [&](const std::string& h) {
    // Through the normaliser, so a default port is dropped exactly as a browser does.
    auto r = normalise(scheme + h + ":" + port, Part::origin);
    return r ? *r : scheme + h + ":" + port;
  };
  AdminOrigins out;
  if (!ec && (address.is_unspecified() || address.is_loopback())) {
    // A browser on this machine reaches a loopback or wildcard bind by these names.
    out.accepted = {origin("localhost"), origin("127.0.0.1"), origin("[::1]")};
    const std::string own = origin(literal(address));
    if (address.is_loopback() && !out.accepts(own)) out.accepted.push_back(own);  // 127.0.0.2 and the like
  } else {
    out.accepted = {origin(ec ? std::string(host) : literal(address))};
  }
  return out;
}

}  // namespace gatehouse::admin
