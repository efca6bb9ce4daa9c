// Who the client is: the peer, or what trusted proxies say, read from the right
// (edge/client_address.hpp).
#include "edge/client_address.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace gatehouse::edge {
namespace {

ClientAddress of(std::string_view peer, std::vector<HeaderRef> headers, std::vector<std::string> trusted) {
  std::vector<Cidr> proxies;
  for (const auto& t : trusted) proxies.push_back(*parse_cidr(t));
  RequestHead h;
  h.headers = headers;
  h.remote_ip = peer;
  return client_address(h, proxies);
}

TEST(ClientAddress, AnUntrustedPeerIsTheClientWhateverItWrites) {
  const auto a = of("198.51.100.7", {{"X-Forwarded-For", "10.0.0.1"}}, {"127.0.0.0/8"});
  EXPECT_EQ(a.text, "198.51.100.7");
  EXPECT_TRUE(a.believed_chain.empty());
  EXPECT_EQ(of("127.0.0.1", {{"X-Forwarded-For", "10.0.0.1"}}, {}).text, "127.0.0.1");
}

TEST(ClientAddress, ATrustedPeerIsReadFromTheRight) {
  // The client wrote "6.6.6.6"; nginx appended the address it saw.
  const auto a = of("127.0.0.1", {{"X-Forwarded-For", "6.6.6.6, 203.0.113.9"}}, {"127.0.0.0/8"});
  EXPECT_EQ(a.text, "203.0.113.9");
  EXPECT_EQ(a.believed_chain, "203.0.113.9");
  // Two trusted hops, over two header fields.
  const auto b = of("127.0.0.1", {{"X-Forwarded-For", "6.6.6.6, 203.0.113.9"}, {"X-Forwarded-For", "10.0.0.2"}},
                    {"127.0.0.0/8", "10.0.0.0/8"});
  EXPECT_EQ(b.text, "203.0.113.9");
  EXPECT_EQ(b.believed_chain, "203.0.113.9, 10.0.0.2");
}

TEST(ClientAddress, GarbageStopsTheWalk) {
  const auto a = of("127.0.0.1", {{"X-Forwarded-For", "203.0.113.9, not-an-ip"}}, {"127.0.0.0/8"});
  EXPECT_EQ(a.text, "127.0.0.1");
  EXPECT_TRUE(a.believed_chain.empty());
  const auto all_trusted = of("127.0.0.1", {{"X-Forwarded-For", "10.0.0.3"}}, {"127.0.0.0/8", "10.0.0.0/8"});
  EXPECT_EQ(all_trusted.text, "10.0.0.3");
}

}  // namespace
}  // namespace gatehouse::edge
