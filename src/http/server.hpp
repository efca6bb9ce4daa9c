#pragma once
// A small HTTP/1.1 server on Boost.Beast for the admin listener (and, until the edge
// grows its own streaming proxy, the edge placeholder). Requests are read whole with
// header and body limits and a deadline. The handler runs on the io_context thread, or,
// with Limits::handler_threads, on a pool of its own threads so that handlers that
// block (an fsync, waiting for the edge to publish a change) overlap: the io_context
// thread keeps reading and writing, and a connection's next request is read only
// after its previous answer was written (keep-alive answers stay in order).
#include "http/message.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace gatehouse::http {

struct Limits {
  std::size_t header_bytes = 16 * 1024;
  std::size_t body_bytes = 1024 * 1024;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{60};
  // 0: the handler runs on the io_context thread, one request at a time. N: on a pool
  // of N threads; at most N requests are handled at once (the handler must be
  // thread-safe).
  std::size_t handler_threads = 0;
};

// What to answer when the request could not be read (status 400, 413 or 431).
using ErrorResponder = std::function<Response(int status, std::string_view message)>;
using Handler = std::function<Response(const Request&)>;

class Server {
 public:
  // Binds and listens immediately (throws std::runtime_error naming the address on
  // failure: this happens at start-up only). `listen` is "HOST:PORT"; port 0 picks one.
  Server(boost::asio::io_context& io, const std::string& listen, Handler handler, ErrorResponder on_error,
         Limits limits = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // "127.0.0.1:PORT" actually bound.
  std::string local_address() const;
  std::uint16_t port() const;

  void start();
  // Stops accepting, closes idle connections, lets requests in progress finish.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Splits "HOST:PORT" / "[v6]:PORT"; throws std::runtime_error on a malformed value.
std::pair<std::string, std::uint16_t> split_host_port(const std::string& listen);

}  // namespace gatehouse::http
