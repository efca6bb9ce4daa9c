#include "edge/credentials.hpp"

#include <boost/json/parse.hpp>

namespace gatehouse::edge {

namespace {

constexpr std::string_view kIdHeader = "CF-Access-Client-Id";
constexpr std::string_view kSecretHeader = "CF-Access-Client-Secret";
constexpr std::size_t kMaxSingleHeaderBytes = 4096;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Credentials refused(std::string_view slug) {
  Credentials c;
  c.error = slug;
  return c;
}

}  // namespace

std::string_view find_cookie(const RequestHead& head, std::string_view name, bool& duplicate) {
  std::string_view found;
  bool seen = false;
  duplicate = false;
  for (const auto& h : head.headers) {
    if (!http::iequals(h.name, "Cookie")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      std::string_view pair = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name) continue;
      std::string_view value = trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      if (seen && value != found) duplicate = true;
      found = value;
      seen = true;
    }
  }
  return found;
}

Credentials extract_credentials(const RequestHead& head, std::string_view single_header, bool strict) {
  const auto ids = head.count(kIdHeader);
  const auto secrets = head.count(kSecretHeader);
  if (ids > 1 || secrets > 1) return refused("credentials_duplicated");
  if (ids != secrets) return refused("credentials_incomplete");

  Credentials c;
  if (ids == 1) {
    c.kind = Credentials::Kind::service_token;
    c.client_id = std::string(trim(head.header(kIdHeader)));
    c.client_secret = std::string(trim(head.header(kSecretHeader)));
    if (c.client_id.empty() || c.client_secret.empty()) return refused("credentials_incomplete");
  }

  if (!single_header.empty() && head.count(single_header) > 0) {
    if (head.count(single_header) > 1) return refused("credentials_duplicated");
    if (c.kind != Credentials::Kind::none) return refused("credentials_ambiguous");
    const auto raw = head.header(single_header);
    if (raw.size() > kMaxSingleHeaderBytes) return refused("credentials_malformed");
    boost::system::error_code ec;
    const auto v = boost::json::parse(raw, ec);
    if (ec || !v.is_object()) return refused("credentials_malformed");
    const auto& o = v.as_object();
    const auto* id = o.if_contains("cf-access-client-id");
    const auto* secret = o.if_contains("cf-access-client-secret");
    if (!id || !secret || !id->is_string() || !secret->is_string() || id->as_string().empty() ||
        secret->as_string().empty())
      return refused("credentials_incomplete");
    c.kind = Credentials::Kind::service_token;
    c.client_id = std::string(id->as_string());
    c.client_secret = std::string(secret->as_string());
  }
  if (c.kind == Credentials::Kind::service_token) return c;  // token headers take precedence over a JWT

  const auto headers = head.count("cf-access-token");
  if (headers > 1) return refused("credentials_duplicated");
  if (headers == 1) {
    c.kind = Credentials::Kind::jwt;
    c.jwt = std::string(trim(head.header("cf-access-token")));
    return c;
  }
  if (strict) return c;
  bool duplicate = false;
  const auto cookie = find_cookie(head, "CF_Authorization", duplicate);
  if (duplicate) return refused("credentials_duplicated");
  if (!cookie.empty()) {
    c.kind = Credentials::Kind::jwt;
    c.jwt = std::string(cookie);
    c.jwt_from_cookie = true;
  }
  return c;
}

}  // namespace gatehouse::edge
