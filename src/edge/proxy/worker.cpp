#include "edge/proxy/worker.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdio>
#include <sys/socket.h>

namespace gatehouse::edge {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
}

Worker::Worker(Gate& gate, const EdgeOptions& options, ServerTls* server_tls, asio::ssl::context* client_tls)
    : server_tls_(server_tls),
      io_(1),
      pool_(io_.get_executor(), PoolOptions{options.pool_max_idle_per_origin, options.pool_max_idle_time}),
      env_{gate, options, pool_, buffers_, client_tls},
      acceptor_(io_),
      finished_future_(finished_.get_future()) {}

Worker::~Worker() {
  if (thread_.joinable()) {
    abandon();
    thread_.join();
  }
  sessions_.clear();  // unlink whatever an abandoned io_context left behind
}

boost::system::error_code Worker::bind(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.set_option(reuse_port(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) acceptor_.close();
  return ec;
}

tcp::endpoint Worker::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void Worker::start() {
  asio::co_spawn(io_, accept_loop(), asio::detached);
  thread_ = std::thread([this] {
    for (;;) {
      try {
        io_.run();
        break;
      } catch (const std::exception& e) {
        // A bug must not take the edge down: report it and keep serving.
        std::fprintf(stderr, "gatehouse edge: unexpected exception: %s\n", e.what());
      }
    }
    finished_.set_value();
  });
}

asio::awaitable<void> Worker::accept_loop() {
  asio::steady_timer backoff(io_);
  while (!env_.stopping) {
    auto [ec, socket] = co_await acceptor_.async_accept(kAsTuple);
    if (env_.stopping || ec == asio::error::operation_aborted) break;
    if (ec) {
      // Out of descriptors or a transient network error: pause, then go on.
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kAsTuple);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(io_, serve(std::move(socket), server_tls_ ? server_tls_->current() : nullptr), asio::detached);
  }
}

asio::awaitable<void> Worker::serve(tcp::socket socket, TlsContextPtr tls) {
  try {
    Session session(env_, std::move(socket), std::move(tls));
    sessions_.push_back(session);
    co_await session.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gatehouse edge: connection ended by an exception: %s\n", e.what());
  }
}

void Worker::begin_stop() {
  asio::post(io_, [this] {
    env_.stopping = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& s : sessions_) s.close_if_idle();
    pool_.close_all();
  });
}

void Worker::force_stop() {
  asio::post(io_, [this] {
    env_.stopping = true;
    for (auto& s : sessions_) s.force_close();
    pool_.close_all();
  });
}

bool Worker::wait_until(std::chrono::steady_clock::time_point deadline) {
  return finished_future_.wait_until(deadline) == std::future_status::ready;
}

void Worker::abandon() { io_.stop(); }

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace gatehouse::edge
