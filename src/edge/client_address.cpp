#include "edge/client_address.hpp"

#include "http/message.hpp"

#include <vector>

namespace gatehouse::edge {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool is_trusted(std::span<const Cidr> proxies, const std::optional<IpAddress>& ip) {
  if (!ip) return false;
  for (const auto& c : proxies)
    if (contains(c, *ip)) return true;
  return false;
}

ClientAddress client_address(const RequestHead& head, std::span<const Cidr> trusted_proxies) {
  ClientAddress a;
  a.ip = parse_ip(head.remote_ip);
  a.text = std::string(head.remote_ip);
  if (trusted_proxies.empty() || !is_trusted(trusted_proxies, a.ip)) return a;
  // Every X-Forwarded-For field, in order, is one list (RFC 9110 §5.3).
  std::vector<std::string_view> hops;
  for (const auto& h : head.headers) {
    if (!http::iequals(h.name, "X-Forwarded-For")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      if (const auto hop = trim(rest.substr(0, comma)); !hop.empty()) hops.push_back(hop);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  std::size_t client = hops.size();  // index of the client's hop; size() = the peer
  for (std::size_t i = hops.size(); i-- > 0;) {
    const auto ip = parse_ip(hops[i]);
    // Not an address: the hop after it is the last one we can vouch for.
    if (!ip) break;
    client = i;
    a.ip = ip;
    if (!is_trusted(trusted_proxies, ip)) break;
  }
  if (client < hops.size()) a.text = std::string(hops[client]);
  // Only the part we can vouch for goes on: what the client wrote left of its own
  // address would fool an origin that reads the first entry.
  for (std::size_t i = client; i < hops.size(); ++i) {
    if (!a.believed_chain.empty()) a.believed_chain += ", ";
    a.believed_chain += hops[i];
  }
  return a;
}

}  // namespace gatehouse::edge
