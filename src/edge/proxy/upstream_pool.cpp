#include "edge/proxy/upstream_pool.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace gatehouse::edge {

namespace {

// A non-blocking peek: an idle plain connection has nothing to read; EOF or an error
// means the origin closed it, and unexpected bytes mean it is out of sync. A TLS
// connection may legitimately hold records (TLS 1.3 session tickets), so only EOF
// and errors count there.
bool looks_alive(UpstreamConnection& c) {
  auto& socket = c.stream.socket();
  if (!socket.is_open()) return false;
  char byte;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return false;
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
  return c.stream.is_tls();
}

}  // namespace

UpstreamPool::UpstreamPool(const boost::asio::any_io_executor& ex, PoolOptions options)
    : options_(options), sweep_timer_(ex) {}

const std::string& UpstreamPool::key_of(const Upstream& u) {
  key_scratch_.clear();
  key_scratch_.append(u.scheme).append("://").append(u.host).append(":").append(u.port);
  return key_scratch_;
}

std::unique_ptr<UpstreamConnection> UpstreamPool::take(const Upstream& upstream) {
  const auto it = idle_.find(key_of(upstream));
  if (it == idle_.end()) return nullptr;
  auto& list = it->second;
  const auto now = Deadline::clock::now();
  while (!list.empty()) {
    auto c = std::move(list.back());
    list.pop_back();
    if (c->idle_until > now && (now - c->pooled_at < kPeekAfter || looks_alive(*c))) {
      c->reused = true;
      return c;
    }
  }
  return nullptr;
}

void UpstreamPool::put(const Upstream& upstream, std::unique_ptr<UpstreamConnection> connection) {
  if (closed_ || options_.max_idle_per_origin == 0) return;
  const auto idle = std::min<Deadline::clock::duration>(options_.max_idle_time, upstream.timeouts.idle);
  connection->pooled_at = Deadline::clock::now();
  connection->idle_until = connection->pooled_at + idle;
  connection->deadline.disarm();
  auto& list = idle_[key_of(upstream)];
  if (list.size() >= options_.max_idle_per_origin) list.erase(list.begin());  // the least recently used
  list.push_back(std::move(connection));
  schedule_sweep();
}

void UpstreamPool::close_all() {
  closed_ = true;
  idle_.clear();
  sweep_timer_.cancel();
}

std::size_t UpstreamPool::idle_count() const {
  std::size_t n = 0;
  for (const auto& [key, list] : idle_) n += list.size();
  return n;
}

void UpstreamPool::schedule_sweep() {
  if (sweep_scheduled_ || closed_) return;
  sweep_scheduled_ = true;
  // Expired connections are dropped at the next take() anyway; the sweep only
  // releases descriptors of origins no longer used, so once a second is enough.
  sweep_timer_.expires_after(std::chrono::seconds(1));
  sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
    sweep_scheduled_ = false;
    if (!ec) sweep();
  });
}

void UpstreamPool::sweep() {
  const auto now = Deadline::clock::now();
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& list = it->second;
    std::erase_if(list, [&](const auto& c) { return c->idle_until <= now || !looks_alive(*c); });
    it = list.empty() ? idle_.erase(it) : std::next(it);
  }
  if (!idle_.empty()) schedule_sweep();
}

}  // namespace gatehouse::edge
