#pragma once
// Who the client is, for IP rules, the access log, CF-Connecting-IP and the
// X-Forwarded-For the origin receives. The TCP peer, unless the peer is a trusted
// proxy: then X-Forwarded-For is read from the right, past the trusted hops, and the
// first address not trusted is the client (the left part of the list is whatever the
// client wrote, so it is never believed on its own).
#include "edge/gate.hpp"
#include "policy/ip.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gatehouse::edge {

struct ClientAddress {
  std::optional<IpAddress> ip;  // empty only if the peer itself does not parse
  std::string text;             // as it will be shown and forwarded
  // The X-Forwarded-For chain received from a trusted peer ("a, b"), kept for the
  // origin ahead of the peer; empty when the peer is not trusted (then the client's
  // own X-Forwarded-For is dropped).
  std::string believed_chain;
};

bool is_trusted(std::span<const Cidr> proxies, const std::optional<IpAddress>& ip);

ClientAddress client_address(const RequestHead& head, std::span<const Cidr> trusted_proxies);

}  // namespace gatehouse::edge
