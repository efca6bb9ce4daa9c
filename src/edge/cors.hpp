#pragma once
// An app's `cors_headers` (compat.md §1.3, Cloudflare's shape): Access answers CORS
// preflights itself from these settings — browsers send preflights without
// credentials — and adds the allow headers to the responses it lets through.
#include "http/message.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::edge {

struct CorsPolicy {
  bool allow_all_origins = false;
  bool allow_all_methods = false;
  bool allow_all_headers = false;
  bool allow_credentials = false;
  std::vector<std::string> allowed_origins;
  std::vector<std::string> allowed_methods;
  std::vector<std::string> allowed_headers;
  int max_age = -1;  // seconds; -1 = not sent

  bool origin_allowed(std::string_view origin) const;
};

// nullopt for "" or anything that is not a JSON object (the API validated it).
std::optional<CorsPolicy> parse_cors_policy(std::string_view json);

// Headers answering a preflight from `origin` asking for `method` and `headers`;
// empty when the origin or method is not allowed.
std::vector<http::Header> preflight_headers(const CorsPolicy& p, std::string_view origin, std::string_view method,
                                            std::string_view request_headers);
// Headers to add to an actual (non-preflight) response for `origin`.
std::vector<http::Header> response_headers(const CorsPolicy& p, std::string_view origin);

}  // namespace gatehouse::edge
