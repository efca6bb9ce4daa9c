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
  // As many as the connections a thread may have in flight to one origin under load:
  // a smaller bound closes connections that the next requests must open again
  // (a connect, a handshake and ~10 system calls each).
  std::size_t max_idle_per_origin = 256;
  std::chrono::milliseconds max_idle_time{60'000};
};

// Origins close idle connections after seconds (nginx 75 s, Node.js 5 s), not
// milliseconds: a connection put back less than this ago is taken without the peek
// (one system call per request saved under load).
inline constexpr std::chrono::milliseconds kPeekAfter{1000};

class UpstreamPool {
 public:
  UpstreamPool(const boost::asio::any_io_executor& ex, PoolOptions options);
  UpstreamPool(const UpstreamPool&) = delete;
  UpstreamPool& operator=(const UpstreamPool&) = delete;

  // The most recently used live idle connection to this origin, or null. A connection
  // the origin closed while idle is usually caught here (a non-blocking peek, for
  // connections idle longer than kPeekAfter); one that closes just now fails on first
  // use, and the caller may retry once.
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
