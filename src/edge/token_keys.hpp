#pragma once
// The binary forms of a service token's identifiers, for the edge's token index: a
// client id (32 lowercase hex + ".access") and a token id (a lowercase UUID) are 16
// bytes each, a SHA-256 hex digest 32. Only the canonical text converts, so that
// text -> binary -> text gives back the same string: two different strings never map
// to one key, and lookups by text stay exact string matches.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::edge {

using Key16 = std::array<std::uint8_t, 16>;
using Digest32 = std::array<std::uint8_t, 32>;

std::optional<Key16> parse_client_id_key(std::string_view client_id);
std::optional<Key16> parse_token_id_key(std::string_view uuid);
// 64 lowercase hex digits (what sha256_hex writes).
std::optional<Digest32> parse_digest_hex(std::string_view hex);

std::string format_client_id_key(const Key16& key);
std::string format_token_id_key(const Key16& key);

// A well-mixed 64-bit hash of a key, for open addressing: stored ids are random, but
// imported or test ids may be sequential, so the raw bytes are not used as they are.
inline std::uint64_t key_hash(const Key16& k) {
  std::uint64_t lo = 0, hi = 0;
  for (int i = 0; i < 8; ++i) lo |= std::uint64_t{k[static_cast<std::size_t>(i)]} << (8 * i);
  for (int i = 0; i < 8; ++i) hi |= std::uint64_t{k[static_cast<std::size_t>(8 + i)]} << (8 * i);
  std::uint64_t h = lo ^ (hi * 0x9E3779B97F4A7C15ULL);
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace gatehouse::edge
