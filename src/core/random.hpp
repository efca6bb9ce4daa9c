#pragma once
// The randomness seam. Production uses the OS CSPRNG (crypto/os_random.hpp);
// tests use SeededRandom for reproducible ids. Never use SeededRandom for secrets.
#include <cstddef>
#include <cstdint>
#include <span>

namespace gatehouse {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

// Deterministic xorshift stream: for tests only.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed ? seed : 0x9e3779b97f4a7c15ull) {}
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) {
      state_ ^= state_ << 13;
      state_ ^= state_ >> 7;
      state_ ^= state_ << 17;
      b = static_cast<std::uint8_t>(state_ >> 32);
    }
  }

 private:
  std::uint64_t state_;
};

}  // namespace gatehouse
