#include "edge/forward_auth_request.hpp"

#include "http/message.hpp"
#include "policy/app_matcher.hpp"

#include <array>
#include <optional>

namespace gatehouse::edge {

namespace {

constexpr std::array<std::string_view, 6> kDescribing = {"X-Forwarded-Host", "X-Forwarded-Uri",    "X-Original-URI",
                                                         "X-Original-URL",   "X-Forwarded-Method", "X-Forwarded-Proto"};

struct OriginalUrl {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> host;
  std::string uri;
};

// "https://host[:port]/path?q", "http://host", or "/path?q".
std::optional<OriginalUrl> parse_original_url(std::string_view text) {
  OriginalUrl u;
  if (!text.empty() && text.front() == '/') {
    if (text.size() > 1 && text[1] == '/') return std::nullopt;  // "//host/...": scheme-relative
    u.uri = std::string(text);
    return u;
  }
  std::string_view rest;
  if (text.size() >= 7 && http::iequals(text.substr(0, 7), "http://")) {
    u.scheme = "http";
    rest = text.substr(7);
  } else if (text.size() >= 8 && http::iequals(text.substr(0, 8), "https://")) {
    u.scheme = "https";
    rest = text.substr(8);
  } else {
    return std::nullopt;
  }
  const auto end = rest.find_first_of("/?#");
  const auto authority = rest.substr(0, end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  u.host = authority;
  if (end == std::string_view::npos) u.uri = "/";
  else if (rest[end] == '/') u.uri = std::string(rest.substr(end));
  else u.uri = "/" + std::string(rest.substr(end));  // "?q" or "#f" (the latter refused later as a path)
  return u;
}

ForwardAuthError incomplete(std::string message) { return {"forward_auth_incomplete", std::move(message)}; }
ForwardAuthError conflict(std::string message) { return {"forward_auth_conflict", std::move(message)}; }

}  // namespace

std::variant<ForwardAuthRequest, ForwardAuthError> read_forward_auth_request(const RequestHead& head) {
  for (const auto name : kDescribing)
    if (head.count(name) > 1)
      return conflict("forward-auth got " + std::string(name) + " more than once; send each describing header once");

  std::optional<OriginalUrl> original;
  if (head.count("X-Original-URL") == 1) {
    original = parse_original_url(head.header("X-Original-URL"));
    if (!original)
      return ForwardAuthError{"forward_auth_malformed",
                              "X-Original-URL must be an absolute http(s) URL (https://host/path) or a path"};
  }

  ForwardAuthRequest r;
  // The URI: every source present must say the same.
  std::optional<std::string> uri;
  std::string_view uri_from;
  auto take_uri = [&](std::string_view from, std::string_view value) -> std::optional<ForwardAuthError> {
    if (!uri) {
      uri = std::string(value);
      uri_from = from;
      return std::nullopt;
    }
    if (*uri != value)
      return conflict(std::string(uri_from) + " and " + std::string(from) + " describe different requests");
    return std::nullopt;
  };
  for (const auto name : {std::string_view("X-Forwarded-Uri"), std::string_view("X-Original-URI")})
    if (head.count(name) == 1)
      if (auto e = take_uri(name, head.header(name))) return *e;
  if (original)
    if (auto e = take_uri("X-Original-URL", original->uri)) return *e;
  if (!uri || uri->empty())
    return incomplete("forward-auth needs the original URI: X-Forwarded-Uri, X-Original-URI or X-Original-URL");
  r.uri = std::move(*uri);

  // The host: X-Forwarded-Host and an absolute X-Original-URL's authority must agree.
  const std::string_view forwarded_host = head.header("X-Forwarded-Host");
  if (head.count("X-Forwarded-Host") == 1 && forwarded_host.empty())
    return incomplete("X-Forwarded-Host is empty");
  if (original && original->host && head.count("X-Forwarded-Host") == 1 &&
      AppMatcher::normalize_host(*original->host) != AppMatcher::normalize_host(forwarded_host))
    return conflict("X-Forwarded-Host and X-Original-URL name different hosts");
  if (head.count("X-Forwarded-Host") == 1) r.host = std::string(forwarded_host);
  else if (original && original->host) r.host = std::string(*original->host);
  else return incomplete("forward-auth needs X-Forwarded-Host (or an absolute X-Original-URL) describing the original request");

  // The scheme.
  if (head.count("X-Forwarded-Proto") == 1) {
    const auto proto = head.header("X-Forwarded-Proto");
    if (!http::iequals(proto, "http") && !http::iequals(proto, "https"))
      return ForwardAuthError{"forward_auth_malformed", "X-Forwarded-Proto must be http or https"};
    r.tls = http::iequals(proto, "https");
    if (original && original->scheme && (*original->scheme == "https") != r.tls)
      return conflict("X-Forwarded-Proto and X-Original-URL name different schemes");
  } else if (original && original->scheme) {
    r.tls = *original->scheme == "https";
  }

  r.method = std::string(head.header("X-Forwarded-Method"));
  if (head.count("X-Forwarded-Method") == 1 && r.method.empty()) return incomplete("X-Forwarded-Method is empty");
  if (r.method.empty()) r.method = "GET";
  return r;
}

}  // namespace gatehouse::edge
