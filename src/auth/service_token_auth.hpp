#pragma once
// Checks a presented Client Secret against a stored token: the one decision the edge,
// the forward-auth endpoint and the tests share. Pure apart from hashing.
#include "core/service_token.hpp"

#include <string_view>

namespace gatehouse {

struct SecretCheck {
  bool ok = false;
  int client_secret_version = 0;  // which secret matched (current or previous)
  std::string_view reason;        // stable slug when !ok
};

// Reasons: "service_token_disabled", "service_token_expired", "bad_secret".
// A mistyped secret (bad shape or checksum) is "bad_secret" too, without hashing.
// Both stored hashes are always compared, in constant time, so the timing does not
// tell whether the current or the previous secret matched.
SecretCheck check_client_secret(const ServiceToken& token, std::string_view presented_secret, Time now);

// The decision once the presented secret's hash was compared with both stored ones,
// shared by every representation of a token (this file's ServiceToken, the edge's
// compact records): the secret first, then the token's state, so that a caller
// without the secret learns nothing about the token.
SecretCheck secret_decision(bool current_matches, bool previous_matches_in_grace, bool enabled, bool expired,
                            int current_version);

}  // namespace gatehouse
