#pragma once
// Request headers that claim who the client is or what it asked for, which only the
// edge may set: origins written for Cloudflare trust CF-Connecting-IP and
// Cf-Access-Authenticated-User-Email, frameworks read X-Real-IP, True-Client-IP or
// Forwarded for the client address, and some (Symfony, IIS rewrite) route by
// X-Original-URL / X-Rewrite-URL. A client's own copies never reach the origin; the
// edge adds its own CF-Connecting-IP, X-Forwarded-For/-Proto/-Host and, when it
// authenticated the request, Cf-Access-Jwt-Assertion (docs/edge.md "What the origin
// receives").
#include "http/message.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/fields.hpp>

#include <string_view>

namespace gatehouse::edge {

inline bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && http::iequals(s.substr(0, prefix.size()), prefix);
}

inline bool is_client_identity_header(const boost::beast::http::fields::value_type& f) {
  using boost::beast::http::field;
  if (f.name() == field::forwarded) return true;
  if (f.name() != field::unknown) return false;  // none of the others is in Beast's table
  const std::string_view n = f.name_string();
  // Every Cloudflare header (Cf-Access-*, CF-Connecting-IP, CF-IPCountry, CF-Ray,
  // CF-Visitor, ...) and every X-Forwarded-* (-For, -Host, -Proto, -Port, -Prefix, ...).
  if (starts_with_nocase(n, "cf-") || starts_with_nocase(n, "x-forwarded-")) return true;
  for (std::string_view name : {"x-real-ip", "true-client-ip", "x-client-ip", "x-cluster-client-ip", "x-original-url",
                                "x-original-uri", "x-rewrite-url"})
    if (http::iequals(n, name)) return true;
  return false;
}

}  // namespace gatehouse::edge
