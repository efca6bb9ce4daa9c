#include "edge/token_keys.hpp"

namespace gatehouse::edge {

namespace {

constexpr std::string_view kAccessSuffix = ".access";
constexpr char kHexDigits[] = "0123456789abcdef";

// Lowercase only: uppercase would be a second spelling of the same key. A table,
// because start-up decodes ~130 hex digits per token for a million tokens.
constexpr std::array<std::int8_t, 256> kHexValue = [] {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
  return t;
}();

int lower_hex(char c) { return kHexValue[static_cast<unsigned char>(c)]; }

// Decodes n bytes from 2n hex digits at `hex` into `out`; false on any non-canonical
// digit. Branch-free per digit: the bad-digit check is folded into one OR at the end.
bool decode(const char* hex, std::uint8_t* out, std::size_t n) {
  int bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = lower_hex(hex[2 * i]);
    const int lo = lower_hex(hex[2 * i + 1]);
    bad |= hi | lo;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return bad >= 0;
}

void append_hex(std::string& out, const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kHexDigits[p[i] >> 4]);
    out.push_back(kHexDigits[p[i] & 0xF]);
  }
}

}  // namespace

std::optional<Key16> parse_client_id_key(std::string_view s) {
  if (s.size() != 32 + kAccessSuffix.size() || s.substr(32) != kAccessSuffix) return std::nullopt;
  Key16 k;
  if (!decode(s.data(), k.data(), 16)) return std::nullopt;
  return k;
}

std::optional<Key16> parse_token_id_key(std::string_view s) {
  // 8-4-4-4-12 hex digits: bytes 0-3, 4-5, 6-7, 8-9, 10-15.
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return std::nullopt;
  Key16 k;
  const char* p = s.data();
  std::uint8_t* o = k.data();
  // Every group is decoded, without short-circuit (as the '&' chain this replaces did;
  // clang's -Wbitwise-instead-of-logical refuses '&' between bools).
  bool ok = decode(p, o, 4);
  ok &= decode(p + 9, o + 4, 2);
  ok &= decode(p + 14, o + 6, 2);
  ok &= decode(p + 19, o + 8, 2);
  ok &= decode(p + 24, o + 10, 6);
  if (!ok) return std::nullopt;
  return k;
}

std::optional<Digest32> parse_digest_hex(std::string_view s) {
  if (s.size() != 64) return std::nullopt;
  Digest32 d;
  if (!decode(s.data(), d.data(), 32)) return std::nullopt;
  return d;
}

std::string format_client_id_key(const Key16& k) {
  std::string out;
  out.reserve(32 + kAccessSuffix.size());
  append_hex(out, k.data(), k.size());
  out += kAccessSuffix;
  return out;
}

std::string format_token_id_key(const Key16& k) {
  std::string out;
  out.reserve(36);
  append_hex(out, k.data(), 4);
  out.push_back('-');
  append_hex(out, k.data() + 4, 2);
  out.push_back('-');
  append_hex(out, k.data() + 6, 2);
  out.push_back('-');
  append_hex(out, k.data() + 8, 2);
  out.push_back('-');
  append_hex(out, k.data() + 10, 6);
  return out;
}

}  // namespace gatehouse::edge
