#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <cstdio>
#include <list>
#include <stdexcept>

namespace gatehouse::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

// How long a connection is kept open, discarding input, after an error reply to a
// request that was not read to its end (see session()).
constexpr std::chrono::seconds kLingerTime{5};

using RequestParser = bhttp::request_parser<bhttp::string_body>;

struct Connection {
  explicit Connection(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;  // here, not in session(), so that stop() can see pipelined bytes
  const RequestParser* parser = nullptr;  // the request being read, while reading
  bool reading = true;  // waiting for (the rest of) a request, not handling one

  // True when not one byte of a next request has arrived: not parsed, not buffered,
  // not queued in the kernel. Only such a connection may be closed by a graceful
  // stop; closing one holding part of a request would drop a request in flight.
  bool nothing_received() const {
    if (parser != nullptr && parser->got_some()) return false;
    if (buffer.size() != 0) return false;
    boost::system::error_code ec;
    return stream.socket().available(ec) == 0 || ec;
  }
};

}  // namespace

std::pair<std::string, std::uint16_t> split_host_port(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size())
    throw std::runtime_error("listen address \"" + listen + "\" must be HOST:PORT (e.g. 127.0.0.1:9000)");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  const std::string port_text = listen.substr(colon + 1);
  unsigned long port = 0;
  for (char c : port_text) {
    if (c < '0' || c > '9' || port > 65535)
      throw std::runtime_error("listen address \"" + listen + "\" has an invalid port");
    port = port * 10 + static_cast<unsigned long>(c - '0');
  }
  if (port > 65535) throw std::runtime_error("listen address \"" + listen + "\" has a port above 65535");
  return {host, static_cast<std::uint16_t>(port)};
}

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(asio::io_context& io_, Handler h, ErrorResponder e, Limits l)
      : io(io_), acceptor(io_), handler(std::move(h)), on_error(std::move(e)), limits(l) {
    if (limits.handler_threads > 0) pool = std::make_unique<asio::thread_pool>(limits.handler_threads);
  }

  asio::io_context& io;
  tcp::acceptor acceptor;
  Handler handler;
  ErrorResponder on_error;
  Limits limits;
  bool stopping = false;
  std::list<std::weak_ptr<Connection>> connections;
  std::unique_ptr<asio::thread_pool> pool;  // null: handlers run on the io_context thread

  static bhttp::response<bhttp::string_body> to_beast(Response&& r, unsigned version, bool keep_alive) {
    bhttp::response<bhttp::string_body> out;
    out.version(version);
    out.result(static_cast<unsigned>(r.status));
    for (auto& h : r.headers) out.insert(h.name, h.value);
    out.body() = std::move(r.body);
    out.keep_alive(keep_alive);
    out.prepare_payload();
    return out;
  }

  Response safe_handle(const Request& req) {
    try {
      return handler(req);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gatehouse: internal error while handling %s: %s\n", req.method.c_str(), e.what());
      return on_error(500, "internal error");
    }
  }

  // The session coroutine (and so everything but the handler) stays on the io_context
  // thread: co_spawn's completion resumes it on its own executor.
  asio::awaitable<Response> handle(const Request& req) {
    if (!pool) co_return safe_handle(req);
    co_return co_await asio::co_spawn(
        pool->get_executor(), [this, &req]() -> asio::awaitable<Response> { co_return safe_handle(req); },
        asio::use_awaitable);
  }

  asio::awaitable<void> session(std::shared_ptr<Connection> conn) {
    auto self = shared_from_this();
    auto& buffer = conn->buffer;
    bool first = true;
    std::string remote;
    {
      boost::system::error_code ec;
      auto ep = conn->stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    for (;;) {
      // After stop(), a connection is served only if a request already arrived on it
      // (e.g. one accepted just before the acceptor closed).
      if (stopping && conn->nothing_received()) break;
      RequestParser parser;
      parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
      parser.body_limit(limits.body_bytes);
      conn->stream.expires_after(first ? limits.read_timeout : limits.idle_timeout);
      conn->reading = true;
      conn->parser = &parser;
      auto [ec, n] = co_await bhttp::async_read(conn->stream, buffer, parser, kAsTuple);
      conn->parser = nullptr;
      conn->reading = false;
      first = false;
      if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
          ec == beast::error::timeout || ec == asio::error::connection_reset)
        break;
      if (ec) {
        int status = 400;
        std::string message = "malformed HTTP request: " + ec.message();
        if (ec == bhttp::error::body_limit) {
          status = 413;
          message = "request body is larger than the limit of " + std::to_string(limits.body_bytes) + " bytes";
        } else if (ec == bhttp::error::header_limit) {
          status = 431;
          message = "request headers are larger than the limit of " + std::to_string(limits.header_bytes) + " bytes";
        }
        auto out = to_beast(on_error(status, message), 11, false);
        conn->stream.expires_after(limits.read_timeout);
        auto [wec, wn] = co_await bhttp::async_write(conn->stream, out, kAsTuple);
        if (!wec) co_await linger(*conn);
        break;
      }
      auto& msg = parser.get();
      Request req;
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      for (const auto& f : msg) req.headers.push_back({std::string(f.name_string()), std::string(f.value())});
      req.body = std::move(msg.body());
      req.remote_address = remote;
      const bool keep_alive = msg.keep_alive() && !stopping;
      auto out = to_beast(co_await handle(req), msg.version(), keep_alive);
      conn->stream.expires_after(limits.read_timeout);
      auto [wec, wn] = co_await bhttp::async_write(conn->stream, out, kAsTuple);
      if (wec || !out.keep_alive()) break;
    }
    boost::system::error_code ignored;
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    conn->stream.socket().close(ignored);
  }

  // The client may still be sending the request we refused (a body over the limit).
  // Closing with unread input makes the kernel send a reset, which can destroy our
  // reply before the client reads it; so stop sending, then read and discard for a
  // bounded time, until the client closes (nginx's "lingering close").
  static asio::awaitable<void> linger(Connection& conn) {
    boost::system::error_code ec;
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    conn.stream.expires_after(kLingerTime);
    std::array<char, 16 * 1024> sink;
    for (;;) {
      auto [rec, n] = co_await conn.stream.async_read_some(asio::buffer(sink), kAsTuple);
      if (rec) co_return;
    }
  }

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    asio::steady_timer backoff(io);
    while (!stopping) {
      auto [ec, socket] = co_await acceptor.async_accept(kAsTuple);
      if (stopping || ec == asio::error::operation_aborted) co_return;
      if (ec) {
        // Out of descriptors or a transient network error: wait a little, go on.
        backoff.expires_after(std::chrono::milliseconds(50));
        co_await backoff.async_wait(kAsTuple);
        continue;
      }
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto conn = std::make_shared<Connection>(std::move(socket));
      connections.remove_if([](const auto& w) { return w.expired(); });
      connections.push_back(conn);
      asio::co_spawn(io, session(conn), asio::detached);
    }
  }
};

Server::Server(asio::io_context& io, const std::string& listen, Handler handler, ErrorResponder on_error,
               Limits limits)
    : impl_(std::make_shared<Impl>(io, std::move(handler), std::move(on_error), limits)) {
  const auto [host, port] = split_host_port(listen);
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("listen address \"" + listen + "\": \"" + host + "\" is not an IP address");
  const tcp::endpoint endpoint(address, port);
  auto& acc = impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + listen + ": " + ec.message());
}

Server::~Server() {
  // Handlers still running reference the Impl; wait for them before it can go.
  if (impl_->pool) impl_->pool->join();
}

std::string Server::local_address() const {
  boost::system::error_code ec;
  const auto ep = impl_->acceptor.local_endpoint(ec);
  if (ec) return {};
  const auto a = ep.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(ep.port());
}

std::uint16_t Server::port() const {
  boost::system::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void Server::start() { asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached); }

void Server::stop() {
  impl_->stopping = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  // Connections waiting for a request are closed now; one with a request arrived,
  // partly read, being handled or written finishes it and then sees `stopping`.
  for (auto& weak : impl_->connections)
    if (auto conn = weak.lock(); conn && conn->reading && conn->nothing_received())
      conn->stream.socket().cancel(ignored);
}

}  // namespace gatehouse::http
