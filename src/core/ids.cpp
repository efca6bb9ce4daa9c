#include "core/ids.hpp"

#include <array>

namespace gatehouse {
namespace {

constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kHex = "0123456789abcdef";

std::string hex8(std::uint32_t v) {
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[v & 0xF];
    v >>= 4;
  }
  return out;
}

// Uniform base62 by rejection sampling: bytes >= 248 (= 4 * 62) are discarded.
std::string random_base62(Random& random, std::size_t count) {
  std::string out;
  out.reserve(count);
  std::array<std::uint8_t, 64> buf{};
  while (out.size() < count) {
    random.fill(buf);
    for (std::uint8_t b : buf) {
      if (b >= 248) continue;
      out.push_back(kBase62[b % 62]);
      if (out.size() == count) break;
    }
  }
  return out;
}

std::string checksummed(Random& random, std::string_view prefix) {
  std::string s(prefix);
  s += random_base62(random, kSecretRandomChars);
  s += hex8(crc32(s));
  return s;
}

bool well_formed(std::string_view s, std::string_view prefix) {
  if (s.size() != prefix.size() + kSecretRandomChars + kSecretChecksumChars) return false;
  if (s.substr(0, prefix.size()) != prefix) return false;
  const auto body = s.substr(prefix.size(), kSecretRandomChars);
  for (char c : body)
    if (kBase62.find(c) == std::string_view::npos) return false;
  const auto sum = s.substr(prefix.size() + kSecretRandomChars);
  return sum == hex8(crc32(s.substr(0, prefix.size() + kSecretRandomChars)));
}

bool is_lower_hex(std::string_view s) {
  for (char c : s)
    if (kHex.find(c) == std::string_view::npos) return false;
  return true;
}

}  // namespace

std::uint32_t crc32(std::string_view data) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char ch : data) crc = table[(crc ^ ch) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

std::string new_hex(Random& random, std::size_t bytes) {
  std::string raw(bytes, '\0');
  random.fill({reinterpret_cast<std::uint8_t*>(raw.data()), raw.size()});
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char b : raw) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

std::string new_uuid(Random& random) {
  std::array<std::uint8_t, 16> b{};
  random.fill(b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);  // RFC variant
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xF]);
  }
  return out;
}

std::string new_client_id(Random& random) { return new_hex(random, 16) + ".access"; }
std::string new_client_secret(Random& random) { return checksummed(random, kClientSecretPrefix); }
std::string new_api_token(Random& random) { return checksummed(random, kApiTokenPrefix); }

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : kHex.find(s[i]) == std::string_view::npos) return false;
  }
  return true;
}

bool is_client_id(std::string_view s) {
  constexpr std::string_view suffix = ".access";
  return s.size() == 32 + suffix.size() && s.substr(32) == suffix && is_lower_hex(s.substr(0, 32));
}

bool is_well_formed_client_secret(std::string_view s) { return well_formed(s, kClientSecretPrefix); }
bool is_well_formed_api_token(std::string_view s) { return well_formed(s, kApiTokenPrefix); }

}  // namespace gatehouse
