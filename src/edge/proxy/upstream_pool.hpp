#pragma once
// Idle keep-alive connections to origins, per edge thread (no lock), keyed like
// Upstream::key() (scheme, host, port). Bounded per origin; a connection idle longer
// than min(the pool's idle time, the origin's idle timeout) is closed.
//
// Thread contract: one io_context thread.
#include "edge/gate.hpp"
#include "edge/proxy/upstream_connection.hpp"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace gatehouse::edge {

struct PoolOptions {
  std::size_t max_idle_per_origin = 32;
  std::chrono::milliseconds max_idle_time{60'000};
};

class UpstreamPool {
 public:
  UpstreamPool(const boost::asio::any_io_executor& ex, PoolOptions options);
  UpstreamPool(const UpstreamPool&) = delete;
  UpstreamPool& operator=(const UpstreamPool&) = delete;

  // The most recently used live idle connection to this origin, or null. A connection
  // the origin closed while idle is usually caught here (a non-blocking peek); one
  // that closes just now fails on first use, and the caller may retry once.
  std::unique_ptr<UpstreamConnection> take(const Upstream& upstream);

  // Keeps a connection whose last exchange completed cleanly.
  void put(const Upstream& upstream, std::unique_ptr<UpstreamConnection> connection);

  // Closes every idle connection; later put()s close theirs (server stopping).
  void close_all();

  std::size_t idle_count() const;

 private:
  const std::string& key_of(const Upstream& u);
  void schedule_sweep();
  void sweep();

  PoolOptions options_;
  boost::asio::steady_timer sweep_timer_;
  bool sweep_scheduled_ = false;
  bool closed_ = false;
  std::string key_scratch_;  // reused: looking up a key allocates nothing
  std::unordered_map<std::string, std::vector<std::unique_ptr<UpstreamConnection>>> idle_;
};

}  // namespace gatehouse::edge
