#pragma once
// One edge thread: an io_context, an SO_REUSEPORT acceptor bound to the shared
// address, the sessions it accepted, and its upstream pool.
//
// Thread contract: bind() and local_endpoint() before start(), from the starting
// thread; begin_stop(), force_stop() from any thread (they post to the edge thread);
// wait_until() and join() from the stopping thread.
#include "edge/gate.hpp"
#include "edge/proxy/buffer_pool.hpp"
#include "edge/proxy/edge_server.hpp"
#include "edge/proxy/session.hpp"
#include "edge/proxy/tls.hpp"
#include "edge/proxy/upstream_pool.hpp"
#include "edge/proxy/worker_env.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/intrusive/list.hpp>

#include <chrono>
#include <future>
#include <thread>

namespace gatehouse::edge {

class Worker {
 public:
  Worker(Gate& gate, const EdgeOptions& options, ServerTls* server_tls, boost::asio::ssl::context* client_tls);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Opens, sets SO_REUSEADDR and SO_REUSEPORT, binds and listens; error as a value.
  boost::system::error_code bind(const boost::asio::ip::tcp::endpoint& endpoint);
  boost::asio::ip::tcp::endpoint local_endpoint() const;

  void start();
  void begin_stop();
  void force_stop();
  // True once the thread's io_context has run out of work (every session ended).
  bool wait_until(std::chrono::steady_clock::time_point deadline);
  void abandon();  // last resort: stop the io_context even though work remains
  void join();

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket, TlsContextPtr tls);

  using SessionList = boost::intrusive::list<Session, boost::intrusive::constant_time_size<false>>;

  // Members sessions refer to come first: they outlive the io_context, whose
  // destruction destroys any coroutine frame still pending (only after abandon()).
  ServerTls* server_tls_;
  BufferPool buffers_;
  SessionList sessions_;
  boost::asio::io_context io_;
  UpstreamPool pool_;
  WorkerEnv env_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::promise<void> finished_;
  std::future<void> finished_future_;
  std::thread thread_;
};

}  // namespace gatehouse::edge
