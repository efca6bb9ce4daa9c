#pragma once
// The background worker of `serve`: on a period (an hour by default), rotates signing
// keys whose interval has passed, prunes keys retired 7 days ago, and refreshes the
// edge snapshot for time-based changes. One thread; stop() wakes and joins it.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace gatehouse::server {

class BackgroundWorker {
 public:
  BackgroundWorker(std::chrono::seconds period, std::function<void()> tick)
      : period_(period), tick_(std::move(tick)) {}
  ~BackgroundWorker() { stop(); }

  void start() {
    thread_ = std::thread([this] { run(); });
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (wake_.wait_for(lock, period_, [this] { return stopping_; })) break;
      lock.unlock();
      tick_();
      lock.lock();
    }
  }

  std::chrono::seconds period_;
  std::function<void()> tick_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gatehouse::server
