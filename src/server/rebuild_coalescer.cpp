#include "server/rebuild_coalescer.hpp"

#include <utility>

namespace gatehouse::server {

bool RebuildCoalescer::enqueue_and_wait(std::optional<edge::ChangedToken> token) {
  std::unique_lock lock(mu_);
  // Recorded before our generation is chosen: the rebuild that starts it takes it.
  if (token) pending_.tokens.push_back(std::move(*token));
  else pending_.full = true;
  // A rebuild already running may have read the store before our change: only one
  // started from now on is sure to include it.
  const std::uint64_t needed = started_ + 1;
  while (finished_ < needed) {
    if (running_) {
      if (on_wait_) on_wait_();
      finished_cv_.wait(lock);
      continue;
    }
    running_ = true;
    const std::uint64_t mine = ++started_;
    RebuildWave wave = std::exchange(pending_, RebuildWave{});
    lock.unlock();
    bool ok = false;
    try {
      ok = rebuild_(wave);
    } catch (...) {
      // Waiters must not hang on a rebuild that threw; report it as failed.
      lock.lock();
      finished_ = mine;
      last_ok_ = false;
      pending_.full = true;
      running_ = false;
      finished_cv_.notify_all();
      throw;
    }
    lock.lock();
    finished_ = mine;
    last_ok_ = ok;
    // This wave's changes may be missing from the edge: the next one reloads all.
    if (!ok) pending_.full = true;
    running_ = false;
    finished_cv_.notify_all();
  }
  return last_ok_;
}

std::uint64_t RebuildCoalescer::rebuilds() const {
  std::lock_guard lock(mu_);
  return finished_;
}

}  // namespace gatehouse::server
