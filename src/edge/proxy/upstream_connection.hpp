#pragma once
// One keep-alive connection to an origin, and how it is opened.
#include "edge/gate.hpp"
#include "edge/proxy/deadline.hpp"
#include "edge/proxy/errc.hpp"
#include "edge/proxy/stream.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <memory>

namespace gatehouse::edge {

// Thread contract: the io_context thread that opened it; it never leaves that
// thread's pool.
struct UpstreamConnection {
  UpstreamConnection(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls)
      : stream(tls ? Stream(std::move(socket), *tls) : Stream(std::move(socket))),
        deadline(stream.get_executor(), stream.socket()) {}

  Stream stream;
  Deadline deadline;                  // after `stream`: destroyed first
  boost::beast::flat_buffer buffer;   // response bytes read but not parsed yet
  Deadline::clock::time_point pooled_at{};   // when it was last put back in the pool
  Deadline::clock::time_point idle_until{};  // pooled: discarded after this
  bool reused = false;                // taken from the pool (may have been closed meanwhile)
};

struct ConnectResult {
  std::unique_ptr<UpstreamConnection> connection;
  proxy_errc error{};  // origin_unreachable, origin_connect_timeout or origin_tls when no connection
};

// Resolves (IP literals skip DNS), connects within `upstream.timeouts.connect` trying
// each address in turn, and for https performs the TLS handshake with SNI and
// certificate verification (`client_tls`, see tls.hpp) within the same timeout.
// A DNS lookup is bounded by the system resolver's own timeouts, not by ours.
boost::asio::awaitable<ConnectResult> connect_upstream(const Upstream& upstream, boost::asio::ssl::context* client_tls);

}  // namespace gatehouse::edge
