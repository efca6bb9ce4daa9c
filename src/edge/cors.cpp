#include "edge/cors.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace gatehouse::edge {

namespace {

std::vector<std::string> strings(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& e : v->as_array())
      if (e.is_string()) out.emplace_back(e.as_string());
  return out;
}

bool flag(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

bool contains_ci(const std::vector<std::string>& list, std::string_view value) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return http::iequals(s, value); });
}

std::string join(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

std::vector<http::Header> allow_origin(const CorsPolicy& p, std::string_view origin) {
  std::vector<http::Header> h;
  // With credentials the wildcard is not allowed by the Fetch standard: echo the origin.
  const bool wildcard = p.allow_all_origins && !p.allow_credentials;
  h.push_back({"Access-Control-Allow-Origin", wildcard ? std::string("*") : std::string(origin)});
  if (!wildcard) h.push_back({"Vary", "Origin"});
  if (p.allow_credentials) h.push_back({"Access-Control-Allow-Credentials", "true"});
  return h;
}

}  // namespace

bool CorsPolicy::origin_allowed(std::string_view origin) const {
  if (origin.empty()) return false;
  return allow_all_origins || std::find(allowed_origins.begin(), allowed_origins.end(), origin) != allowed_origins.end();
}

std::optional<CorsPolicy> parse_cors_policy(std::string_view json) {
  if (json.empty()) return std::nullopt;
  boost::system::error_code ec;
  const auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  CorsPolicy p;
  p.allow_all_origins = flag(o, "allow_all_origins");
  p.allow_all_methods = flag(o, "allow_all_methods");
  p.allow_all_headers = flag(o, "allow_all_headers");
  p.allow_credentials = flag(o, "allow_credentials");
  p.allowed_origins = strings(o, "allowed_origins");
  p.allowed_methods = strings(o, "allowed_methods");
  p.allowed_headers = strings(o, "allowed_headers");
  if (const auto* m = o.if_contains("max_age"); m && m->is_int64() && m->as_int64() >= 0 && m->as_int64() <= 86400)
    p.max_age = static_cast<int>(m->as_int64());
  return p;
}

std::vector<http::Header> preflight_headers(const CorsPolicy& p, std::string_view origin, std::string_view method,
                                            std::string_view request_headers) {
  if (!p.origin_allowed(origin)) return {};
  if (!p.allow_all_methods && !contains_ci(p.allowed_methods, method)) return {};
  auto h = allow_origin(p, origin);
  h.push_back({"Access-Control-Allow-Methods", p.allow_all_methods ? std::string(method) : join(p.allowed_methods)});
  if (p.allow_all_headers) {
    if (!request_headers.empty()) h.push_back({"Access-Control-Allow-Headers", std::string(request_headers)});
  } else if (!p.allowed_headers.empty()) {
    h.push_back({"Access-Control-Allow-Headers", join(p.allowed_headers)});
  }
  if (p.max_age >= 0) h.push_back({"Access-Control-Max-Age", std::to_string(p.max_age)});
  return h;
}

std::vector<http::Header> response_headers(const CorsPolicy& p, std::string_view origin) {
  if (!p.origin_allowed(origin)) return {};
  return allow_origin(p, origin);
}

}  // namespace gatehouse::edge
