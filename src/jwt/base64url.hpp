#pragma once
// base64url without padding (RFC 4648 §5, as JWS uses it: RFC 7515 §2).
#include "jwt/errc.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace gatehouse {

std::string base64url_encode(std::string_view bytes);
std::string base64url_encode(std::span<const std::uint8_t> bytes);

// Strict decoding: only [A-Za-z0-9_-], no padding, no whitespace, no length of the form
// 4k+1, and the unused low bits of the last character must be zero, so every byte
// string has exactly one accepted encoding. Fails with jwt_errc::bad_base64.
JwtResult<std::string> base64url_decode(std::string_view text);

}  // namespace gatehouse
