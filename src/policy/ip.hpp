#pragma once
// IP addresses and CIDR ranges for `ip` rules. IPv4 is held as IPv4-mapped IPv6 so
// one comparison covers both families.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gatehouse {

struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;
};

struct Cidr {
  IpAddress network;
  int prefix = 128;  // in IPv6 terms (an IPv4 /24 is stored as /120)
};

std::optional<IpAddress> parse_ip(std::string_view text);
// "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128).
std::optional<Cidr> parse_cidr(std::string_view text);
bool contains(const Cidr& range, const IpAddress& ip);

}  // namespace gatehouse
