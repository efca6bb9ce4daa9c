#pragma once
// Who is calling: the API token a request presents, checked against the store. Shared
// by the /client/v4 router (Bearer / X-Auth-Key) and the dashboard's sign-in and
// sessions, so that every way in applies the same revocation and expiry rules.
#include "core/account.hpp"
#include "core/error.hpp"
#include "http/message.hpp"
#include "service/services.hpp"

#include <optional>
#include <string_view>

namespace gatehouse::admin {

// The API token in `Authorization: Bearer <token>` or `X-Auth-Key` (Cloudflare's
// legacy pair; the email is not needed to find the token). Empty when the request
// presents neither; 401 when what it presents is unusable (ambiguous, not Bearer).
Result<std::optional<std::string_view>> presented_api_token(const http::Request& req);

// A presented token: well-formed (prefix, length, checksum), known, not revoked,
// not expired.
Result<ApiToken> check_api_token(std::string_view presented, Services& s);

// A token known by id (behind a dashboard session): still there, not revoked, not
// expired. So revoking an API token also ends the sessions opened with it.
Result<ApiToken> recheck_api_token(std::string_view account_id, std::string_view id, Services& s);

}  // namespace gatehouse::admin
