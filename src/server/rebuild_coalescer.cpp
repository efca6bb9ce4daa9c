#include "server/rebuild_coalescer.hpp"

namespace gatehouse::server {

bool RebuildCoalescer::request() {
  std::unique_lock lock(mu_);
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
    lock.unlock();
    bool ok = false;
    try {
      ok = rebuild_();
    } catch (...) {
      // Waiters must not hang on a rebuild that threw; report it as failed.
      lock.lock();
      finished_ = mine;
      last_ok_ = false;
      running_ = false;
      finished_cv_.notify_all();
      throw;
    }
    lock.lock();
    finished_ = mine;
    last_ok_ = ok;
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
