#include "edge/proxy/tunnel.hpp"

#include "edge/proxy/body_io.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

namespace gatehouse::edge {

namespace asio = boost::asio;

namespace {

struct Tunnel {
  TunnelEnd a;
  TunnelEnd b;
  Deadline::clock::duration idle;
  bool closed = false;

  // Traffic either way keeps both sides alive.
  void touch() {
    a.deadline.arm_read(idle);
    b.deadline.arm_read(idle);
  }

  void close_both() {
    closed = true;
    a.stream.close();
    b.stream.close();
  }

  asio::awaitable<void> pump(TunnelEnd& from, TunnelEnd& to, BufferPool::Lease buf) {
    if (from.pending.size() != 0) {
      auto [ec] = co_await write_all(to.stream, to.deadline, from.pending.data(), idle);
      from.pending.consume(from.pending.size());
      if (ec || closed) {
        close_both();
        co_return;
      }
    }
    for (;;) {
      touch();
      auto [ec, n] = co_await from.stream.async_read_some(asio::buffer(buf.data(), buf.size()), kAsTuple);
      if (closed) co_return;
      if (ec) {
        if (is_eof(ec) && !to.stream.is_tls()) {
          boost::system::error_code ignored;
          to.stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
        } else {
          close_both();
        }
        co_return;
      }
      touch();
      auto [wec] = co_await write_all(to.stream, to.deadline, asio::buffer(buf.data(), n), idle);
      if (closed) co_return;
      if (wec) {
        close_both();
        co_return;
      }
    }
  }
};

}  // namespace

asio::awaitable<void> run_tunnel(TunnelEnd client, TunnelEnd origin, Deadline::clock::duration idle,
                                 BufferPool& buffers) {
  using namespace asio::experimental::awaitable_operators;
  Tunnel t{client, origin, idle};
  co_await (t.pump(t.a, t.b, buffers.take()) && t.pump(t.b, t.a, buffers.take()));
  t.a.deadline.disarm();
  t.b.deadline.disarm();
}

}  // namespace gatehouse::edge
