#pragma once
// The edge listener: accepts client connections (HTTP/1.1, plain or TLS), asks the
// Gate about each request, and answers it or streams it to the origin and back.
//
// Threads: N edge threads, each with its own io_context, its own SO_REUSEPORT
// acceptor on the same address (the kernel spreads connections), its own upstream
// keep-alive pool; a connection lives on one thread. See docs in edge_server.cpp.
#include "edge/gate.hpp"
#include "edge/proxy/upstream_pool.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace gatehouse::edge {

struct EdgeOptions {
  std::string listen = "127.0.0.1:0";  // HOST:PORT; port 0 picks a free port
  unsigned threads = 0;                 // edge threads; 0 = hardware cores
  // PEM certificate chain and private key: both set = the listener speaks TLS only.
  std::string tls_cert_file;
  std::string tls_key_file;

  std::uint32_t header_limit = 32 * 1024;   // request line + headers; over it: 431
  std::optional<std::uint64_t> body_limit;  // forwarded request bodies; none: unlimited (streamed)
  std::chrono::milliseconds head_timeout{30'000};        // first byte of a head → complete head
  std::chrono::milliseconds keep_alive_timeout{60'000};  // idle between requests
  std::chrono::milliseconds client_timeout{60'000};      // client stalls reading or writing a body

  std::size_t pool_max_idle_per_origin = PoolOptions{}.max_idle_per_origin;  // per edge thread
  std::chrono::milliseconds pool_max_idle_time{60'000};  // capped by the origin's idle timeout
  // PEM bundle trusted for https origins in addition to the system roots ("" = none).
  std::string origin_ca_file;
};

class EdgeServer {
 public:
  // `gate` must outlive the server. Nothing is bound until start().
  EdgeServer(Gate& gate, EdgeOptions options);
  ~EdgeServer();  // stop() with the default grace
  EdgeServer(const EdgeServer&) = delete;
  EdgeServer& operator=(const EdgeServer&) = delete;

  // Loads TLS (if configured), binds every acceptor and starts the threads.
  // Throws std::runtime_error naming the problem (start-up only). Thread-safe with
  // stop(); a second start() while running throws.
  void start();

  // Graceful: stops accepting, closes idle keep-alive connections at once, lets
  // requests in flight finish (their connections close after the response) until
  // `grace` has passed, then closes whatever is left. Returns when every thread has
  // ended. Idempotent; thread-safe; must not be called from an edge thread.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  // Re-reads the certificate and key files and, if they load, uses them for new
  // connections (established ones keep theirs). On failure the current certificate
  // stays and the message names the problem. Thread-safe.
  std::optional<std::string> reload_tls();

  // "HOST:PORT" actually bound ("[v6]:PORT" for IPv6); "" when not running.
  std::string local_address() const;
  std::uint16_t port() const;
  bool running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::edge
