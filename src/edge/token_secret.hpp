#pragma once
// The client-secret check (auth/service_token_auth.hpp) on the edge's compact token
// records: the same decision and reasons, with the presented secret hashed to raw
// SHA-256 and compared in constant time (CRYPTO_memcmp) against the stored hashes.
#include "auth/service_token_auth.hpp"
#include "edge/token_index.hpp"

#include <string_view>

namespace gatehouse::edge {

// Reasons: "service_token_disabled", "service_token_expired", "bad_secret".
SecretCheck check_token_secret(const TokenView& token, std::string_view presented_secret, Time now);

// The same work for a client id that matches no token, so that timing does not
// reveal which client ids exist. Always "bad_secret".
SecretCheck check_unknown_token_secret(std::string_view presented_secret);

}  // namespace gatehouse::edge
