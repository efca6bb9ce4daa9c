#pragma once
// Finds the credential a request presents (compat.md §2.1): the two service-token
// headers, the app's single JSON header, the CF_Authorization cookie, or the
// cf-access-token header. Ambiguity is refused, never resolved by guessing.
#include "edge/gate.hpp"

#include <string>
#include <string_view>

namespace gatehouse::edge {

struct Credentials {
  enum class Kind { none, service_token, jwt };
  Kind kind = Kind::none;
  std::string client_id;
  std::string client_secret;
  std::string jwt;
  bool jwt_from_cookie = false;
  std::string_view error;  // set: refused ("credentials_ambiguous", "credentials_incomplete", …)
};

// `single_header`: the app's read_service_tokens_from_header ("" = off).
// `strict`: cookies are ignored (strict_service_token_auth).
Credentials extract_credentials(const RequestHead& head, std::string_view single_header, bool strict);

// The value of cookie `name` across all Cookie headers; `duplicate` is set when it
// appears more than once with different values.
std::string_view find_cookie(const RequestHead& head, std::string_view name, bool& duplicate);

}  // namespace gatehouse::edge
