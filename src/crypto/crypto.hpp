#pragma once
// OpenSSL-backed primitives and the OS CSPRNG.
#include "core/random.hpp"

#include <string>
#include <string_view>

namespace gatehouse {

// SHA-256 as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

// Constant-time equality for secrets and their hashes (CRYPTO_memcmp). Strings of
// different lengths compare unequal; their length is not secret.
bool constant_time_equal(std::string_view a, std::string_view b);

// getrandom(2): the kernel CSPRNG. Aborts the process if the kernel cannot supply
// randomness: a secret must never come from anything weaker.
class OsRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

}  // namespace gatehouse
