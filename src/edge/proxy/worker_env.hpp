#pragma once
// What every session of one edge thread shares: configuration, the Gate, and the
// thread's upstream pool and buffers. Thread contract: one io_context thread (the
// Gate itself is shared by all threads and is thread-safe by its own contract).
#include "edge/gate.hpp"
#include "edge/proxy/buffer_pool.hpp"
#include "edge/proxy/edge_server.hpp"
#include "edge/proxy/upstream_pool.hpp"

#include <boost/asio/ssl/context.hpp>

namespace gatehouse::edge {

struct WorkerEnv {
  Gate& gate;
  const EdgeOptions& options;
  UpstreamPool& pool;
  BufferPool& buffers;
  boost::asio::ssl::context* client_tls;  // for https origins; null if it could not be built
  bool stopping = false;                  // stop(): finish the current request, then close
};

}  // namespace gatehouse::edge
