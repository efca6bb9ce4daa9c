#pragma once
// Hop-by-hop header handling (RFC 9110 §7.6.1): the Connection header, the fields it
// names, and Keep-Alive, Proxy-Connection, TE, Transfer-Encoding and Upgrade apply to
// one connection only and are never forwarded as received. Proxy-Authorization is not
// hop-by-hop in RFC 9110 (§11.7.1 lets a proxy relay it) and is forwarded.
#include "http/message.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include <string_view>
#include <vector>

namespace gatehouse::edge {

// The fixed hop-by-hop set, by Beast's field enum (no string compare for known names).
inline bool is_hop_by_hop(boost::beast::http::field f) {
  using boost::beast::http::field;
  switch (f) {
    case field::connection:
    case field::keep_alive:
    case field::proxy_connection:
    case field::te:
    case field::transfer_encoding:
    case field::upgrade:
      return true;
    default:
      return false;
  }
}

// The tokens of every Connection header of one message. Reused from message to
// message (clear() keeps the capacity); the views point into the message's fields.
class ConnectionTokens {
 public:
  void parse(const boost::beast::http::fields& fields) {
    tokens_.clear();
    upgrade_ = close_ = keep_alive_ = false;
    for (const auto& f : fields) {
      if (f.name() != boost::beast::http::field::connection) continue;
      for (auto token : boost::beast::http::token_list{f.value()}) {
        const std::string_view t(token.data(), token.size());
        if (http::iequals(t, "upgrade")) upgrade_ = true;
        if (http::iequals(t, "close")) close_ = true;
        if (http::iequals(t, "keep-alive")) keep_alive_ = true;
        tokens_.push_back(t);
      }
    }
  }

  // True if a Connection header names this field (so it is hop-by-hop too).
  bool lists(std::string_view name) const {
    for (auto t : tokens_)
      if (http::iequals(t, name)) return true;
    return false;
  }
  bool upgrade() const { return upgrade_; }
  bool close() const { return close_; }
  bool keep_alive() const { return keep_alive_; }

 private:
  std::vector<std::string_view> tokens_;
  bool upgrade_ = false;
  bool close_ = false;
  bool keep_alive_ = false;
};

// True for a field to drop when forwarding a message: the fixed set or one the
// message's Connection header names.
inline bool drop_hop_by_hop(const boost::beast::http::fields::value_type& f, const ConnectionTokens& tokens) {
  return is_hop_by_hop(f.name()) || tokens.lists(f.name_string());
}

}  // namespace gatehouse::edge
