#include "policy/ip.hpp"

#include <gtest/gtest.h>

using namespace gatehouse;

TEST(Cidr, MatchesIpv4Ranges) {
  auto r = parse_cidr("10.1.0.0/16");
  ASSERT_TRUE(r);
  EXPECT_TRUE(contains(*r, *parse_ip("10.1.255.3")));
  EXPECT_FALSE(contains(*r, *parse_ip("10.2.0.1")));
  EXPECT_TRUE(contains(*parse_cidr("0.0.0.0/0"), *parse_ip("192.0.2.1")));
  EXPECT_TRUE(contains(*parse_cidr("192.0.2.7"), *parse_ip("192.0.2.7")));
  EXPECT_FALSE(contains(*parse_cidr("192.0.2.7"), *parse_ip("192.0.2.8")));
  EXPECT_TRUE(contains(*parse_cidr("192.0.2.0/25"), *parse_ip("192.0.2.127")));
  EXPECT_FALSE(contains(*parse_cidr("192.0.2.0/25"), *parse_ip("192.0.2.128")));
}

TEST(Cidr, MatchesIpv6RangesAndMappedIpv4Peers) {
  EXPECT_TRUE(contains(*parse_cidr("2001:db8::/32"), *parse_ip("2001:db8:1::5")));
  EXPECT_FALSE(contains(*parse_cidr("2001:db8::/32"), *parse_ip("2001:db9::1")));
  EXPECT_TRUE(contains(*parse_cidr("127.0.0.0/8"), *parse_ip("::ffff:127.0.0.1")));
  // An IPv4 /0 does not cover IPv6 space.
  EXPECT_FALSE(contains(*parse_cidr("0.0.0.0/0"), *parse_ip("2001:db8::1")));
}

TEST(Cidr, RefusesMalformed) {
  for (const char* bad : {"", "10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1", "::/129", "host/8", "10.0.0.0/8/8",
                          "1.2.3.4 "})
    EXPECT_FALSE(parse_cidr(bad)) << bad;
}
