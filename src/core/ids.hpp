#pragma once
// Identifiers and credentials in the formats of compat.md §1.2.
//
// client_id      32 lowercase hex + ".access" (128 random bits)
// client_secret  "cfast_" + 40 base62 (238 random bits) + 8-char checksum
// API token      "gat_"   + 40 base62 (238 random bits) + 8-char checksum
//
// Checksum: CRC-32 (IEEE 802.3 polynomial, the zlib/PNG variant) of the prefix and
// the 40 random characters, as 8 lowercase hex digits. It lets us reject a mistyped or
// truncated secret before any lookup, and lets secret scanners recognise real ones.
#include "core/random.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse {

inline constexpr std::string_view kClientSecretPrefix = "cfast_";
inline constexpr std::string_view kApiTokenPrefix = "gat_";
inline constexpr std::size_t kSecretRandomChars = 40;
inline constexpr std::size_t kSecretChecksumChars = 8;

std::string new_uuid(Random& random);              // RFC 9562 version 4
std::string new_client_id(Random& random);
std::string new_client_secret(Random& random);
std::string new_api_token(Random& random);
std::string new_hex(Random& random, std::size_t bytes);

bool is_uuid(std::string_view s);
bool is_client_id(std::string_view s);
// Shape and checksum only; says nothing about whether the secret exists.
bool is_well_formed_client_secret(std::string_view s);
bool is_well_formed_api_token(std::string_view s);

std::uint32_t crc32(std::string_view data);

}  // namespace gatehouse
