#include "edge/proxy/upstream_connection.hpp"

#include "edge/proxy/body_io.hpp"
#include "edge/proxy/tls.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>

namespace gatehouse::edge {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

asio::awaitable<boost::system::error_code> connect_one(tcp::socket& socket, const tcp::endpoint& ep,
                                                       Deadline::clock::time_point deadline_at) {
  boost::system::error_code ec;
  socket.open(ep.protocol(), ec);
  if (ec) co_return ec;
  Deadline deadline(socket.get_executor(), socket);
  deadline.set_write(deadline_at);
  auto [cec] = co_await socket.async_connect(ep, kAsTuple);
  deadline.disarm();
  if (deadline.expired()) co_return asio::error::timed_out;
  if (cec) {
    socket.close(ec);
    co_return cec;
  }
  co_return boost::system::error_code{};
}

}  // namespace

asio::awaitable<ConnectResult> connect_upstream(const Upstream& upstream, asio::ssl::context* client_tls) {
  auto ex = co_await asio::this_coro::executor;
  const auto deadline_at = Deadline::clock::now() + upstream.timeouts.connect;
  tcp::socket socket(ex);
  boost::system::error_code ec;

  unsigned short port = 0;
  for (char c : upstream.port) port = static_cast<unsigned short>(port * 10 + (c - '0'));  // validated by parse_upstream
  const auto address = asio::ip::make_address(upstream.host, ec);
  if (!ec) {
    ec = co_await connect_one(socket, tcp::endpoint(address, port), deadline_at);
  } else {
    tcp::resolver resolver(ex);
    auto [rec, results] = co_await resolver.async_resolve(upstream.host, upstream.port, kAsTuple);
    if (rec || results.empty()) co_return ConnectResult{nullptr, proxy_errc::origin_unreachable};
    for (const auto& entry : results) {
      ec = co_await connect_one(socket, entry.endpoint(), deadline_at);
      if (!ec || ec == asio::error::timed_out) break;
    }
  }
  if (ec == asio::error::timed_out) co_return ConnectResult{nullptr, proxy_errc::origin_connect_timeout};
  if (ec) co_return ConnectResult{nullptr, proxy_errc::origin_unreachable};
  socket.set_option(tcp::no_delay(true), ec);

  const bool https = upstream.scheme == "https";
  if (https && client_tls == nullptr) co_return ConnectResult{nullptr, proxy_errc::origin_tls};
  auto conn = std::make_unique<UpstreamConnection>(std::move(socket), https ? client_tls : nullptr);
  if (https) {
    if (!prepare_client_ssl(conn->stream.tls().native_handle(), upstream.host))
      co_return ConnectResult{nullptr, proxy_errc::origin_tls};
    conn->deadline.set_read(deadline_at);
    conn->deadline.set_write(deadline_at);
    auto [hec] = co_await conn->stream.tls().async_handshake(asio::ssl::stream_base::client, kAsTuple);
    conn->deadline.disarm();
    if (conn->deadline.expired()) co_return ConnectResult{nullptr, proxy_errc::origin_connect_timeout};
    if (hec) co_return ConnectResult{nullptr, proxy_errc::origin_tls};
  }
  co_return ConnectResult{std::move(conn), {}};
}

}  // namespace gatehouse::edge
